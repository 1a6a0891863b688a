package io.scrapeflux.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Expands {@code scrape_config_files} patterns: a glob is allowed in the last path element only. */
final class ScrapeConfigFiles {

    private static final Pattern VALID = Pattern.compile("^[^*]*(\\*[^/]*)?$");

    private ScrapeConfigFiles() {
    }

    /** The existing files matching {@code pattern}, sorted; an invalid pattern is reported. */
    static List<Path> expand(Fields f, String pattern, FilePaths paths) {
        if (!VALID.matcher(pattern).matches()) {
            f.error("scrape_config_files", "invalid scrape config file path \"" + pattern + "\"");
            return List.of();
        }
        Path resolved = Path.of(paths.resolve(pattern));
        Path dir = resolved.getParent() == null ? Path.of(".") : resolved.getParent();
        String name = resolved.getFileName().toString();
        List<Path> out = new ArrayList<>();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            if (Files.isRegularFile(resolved)) {
                out.add(resolved);
            }
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name)) {
            ds.forEach(p -> {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            });
        } catch (IOException | IllegalArgumentException e) {
            if (Files.isDirectory(dir)) {
                f.error("scrape_config_files", "error retrieving scrape config files for \"" + pattern + "\": " + e.getMessage());
            }
        }
        out.sort(null);
        return out;
    }
}
