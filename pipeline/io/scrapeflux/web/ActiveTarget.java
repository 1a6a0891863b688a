package io.scrapeflux.web;

import io.scrapeflux.scrape.TargetHealth;
import io.scrapeflux.target.Target;

/** A scraped target with the outcome of its last scrape. */
public record ActiveTarget(Target target, TargetHealth health) {
}
