package io.scrapeflux.discovery.gce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scrapeflux.model.Labels;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Label mapping details of one {@code instances.list} page. */
class GceInstancesTest {

    private static GceInstances.Page page(String json, String separator) {
        return GceInstances.page(JsonMapper.builder().build().readTree(json), "p", 80, separator);
    }

    @Test
    void keysAreSanitisedPerCharacterAndLaterDuplicatesWin() {
        Labels t = page("""
                {"items": [{"id": "1", "name": "n", "zone": "z", "status": "RUNNING", "machineType": "m",
                  "tags": {"items": ["solo"]},
                  "networkInterfaces": [{"name": "nic-0", "networkIP": "10.0.0.1"}, {"name": "nic.0", "networkIP": "10.0.0.2"}],
                  "metadata": {"items": [{"key": "ключ", "value": "v"}, {"key": "a/b", "value": null}]},
                  "labels": {"goog-ops": "x"}}]}""", "").targets().get(0);
        assertThat(t.get("__meta_gce_metadata_____")).isEqualTo("v");
        assertThat(t.has("__meta_gce_metadata_a_b")).isFalse();
        assertThat(t.get("__meta_gce_label_goog_ops")).isEqualTo("x");
        // Both interface names sanitise to nic_0: the second interface's address is the one kept, as with a Go map.
        assertThat(t.get("__meta_gce_interface_ipv4_nic_0")).isEqualTo("10.0.0.2");
        // An empty separator joins the tags without any delimiter at all.
        assertThat(t.get("__meta_gce_tags")).isEqualTo("solo");
        assertThat(t.has("__meta_gce_public_ip")).isFalse();
        assertThat(t.has("__meta_gce_network")).isFalse();
    }

    @Test
    void nextPageTokenIsEmptyOnTheLastPage() {
        assertThat(page("{\"items\": [], \"nextPageToken\": \"t\"}", ",").nextPageToken()).isEqualTo("t");
        assertThat(page("{}", ",")).isEqualTo(new GceInstances.Page(java.util.List.of(), ""));
    }

    @Test
    void aBodyThatIsNoInstanceListIsAnError() {
        assertThatThrownBy(() -> page("[1, 2]", ",")).hasMessageContaining("not a JSON object");
    }
}
