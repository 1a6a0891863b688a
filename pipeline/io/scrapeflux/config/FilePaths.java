package io.scrapeflux.config;

import java.nio.file.Path;

/** Joins relative file paths in a config with the config file's directory, as Prometheus does on load. */
record FilePaths(Path baseDir) {

    String resolve(String path) {
        if (path == null || path.isEmpty() || baseDir == null) {
            return path;
        }
        Path p = Path.of(path);
        return p.isAbsolute() ? path : baseDir.resolve(p).normalize().toString();
    }
}
