package io.scrapeflux.web;

import io.scrapeflux.model.Labels;

/**
 * Metadata of one metric family as scraped from one target ({@code /api/v1/targets/metadata}).
 *
 * @param target labels of the target it was scraped from
 * @param metric the metric family name
 * @param type   {@code counter}, {@code gauge}, ... or {@code unknown}
 * @param help   HELP text, empty when absent
 * @param unit   UNIT, empty when absent
 */
public record TargetMetadata(Labels target, String metric, String type, String help, String unit) {
}
