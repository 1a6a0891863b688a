package io.scrapeflux.web;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Checks user/password pairs against bcrypt hashes. bcrypt costs tens of milliseconds by design, so it
 * runs on {@code verifier} (never an event loop) and successful pairs are remembered by a SHA-256 of the
 * password, so a scraper sending the same credentials every few seconds pays once.
 */
final class BasicAuthenticator {

    /** Bounds the cache: past it the cache starts over (only successful pairs are ever stored). */
    static final int CACHE_LIMIT = 1024;
    private final Map<String, String> users;
    /** Verified for unknown users so that their failures take as long as wrong passwords. */
    private final String decoyHash;
    private final Scheduler verifier;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    BasicAuthenticator(Map<String, String> users, Scheduler verifier) {
        this.users = Map.copyOf(users);
        this.verifier = verifier;
        // same cost as the real hashes, so an unknown user costs as much as a wrong password
        int cost = this.users.values().stream().mapToInt(h -> Integer.parseInt(h.substring(4, 6))).max().orElse(10);
        this.decoyHash = BCrypt.withDefaults().hashToString(cost, "scrapeflux-decoy".toCharArray());
    }

    Mono<Boolean> check(String user, String password) {
        String key = user + '\0' + sha256(password);
        if (verified.containsKey(key)) {
            return Mono.just(true);
        }
        String hash = users.get(user);
        return Mono.fromCallable(() -> {
            boolean ok = BCrypt.verifyer().verify(password.toCharArray(),
                    (hash == null ? decoyHash : hash).toCharArray()).verified;
            return ok && hash != null;
        }).subscribeOn(verifier).doOnNext(ok -> {
            if (ok) {
                if (verified.size() >= CACHE_LIMIT) {
                    verified.clear();
                }
                verified.put(key, Boolean.TRUE);
            }
        });
    }

    int cacheSize() {
        return verified.size();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
