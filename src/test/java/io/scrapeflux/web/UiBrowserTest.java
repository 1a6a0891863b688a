package io.scrapeflux.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives the UI in headless Chromium: Targets with one up and one down target, the down target's error,
 * the unhealthy filter, and a dropped target on Service Discovery. Skipped when Debian's chromium and
 * chromedriver are not installed; never downloads a browser.
 */
class UiBrowserTest {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @TempDir
    Path profile;
    private WebServer server;
    private ChromeDriver driver;

    @BeforeEach
    void setUp() {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "browser test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
        System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getPath());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1366, 768));
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    private String serve(InMemoryWebState state) {
        server = WebServer.builder(new InetSocketAddress("127.0.0.1", 0), new PrometheusRegistry())
                .state(state.ready(true)).externalHost("promhost").build();
        server.start();
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void fiveThousandTargetsArePagedAndPoolsStartCollapsed() {
        List<ActiveTarget> many = new java.util.ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            io.scrapeflux.target.Target t = TargetsFixture.target("fleet", "host-" + i + ".example:9100",
                    Duration.ofSeconds(15), Duration.ofSeconds(10));
            many.add(new ActiveTarget(t, i % 100 == 7
                    ? new io.scrapeflux.scrape.TargetHealth(io.scrapeflux.scrape.TargetHealth.Health.DOWN,
                            TargetsFixture.LAST_SCRAPE_MS, Duration.ofMillis(10), "server returned HTTP status 503")
                    : new io.scrapeflux.scrape.TargetHealth(io.scrapeflux.scrape.TargetHealth.Health.UP,
                            TargetsFixture.LAST_SCRAPE_MS, Duration.ofMillis(4), "")));
        }
        String base = serve(new InMemoryWebState().targets(new TargetsSnapshot(List.of("fleet"),
                java.util.Map.of("fleet", many), java.util.Map.of(), java.util.Map.of())));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        driver.get(base + "/targets");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("details[data-pool='fleet']")));
        assertThat(driver.findElements(By.cssSelector("tr.target-row"))).isEmpty();
        driver.findElement(By.cssSelector("details[data-pool='fleet'] summary")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 100));
        assertThat(driver.findElement(By.cssSelector(".pager")).getText()).contains("Page 1 of 50");
        driver.findElement(By.id("unhealthy-only")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 50));
        driver.findElement(By.id("search")).sendKeys("host-4907.");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 1));
    }

    @Test
    void targetsAndServiceDiscovery() throws Exception {
        String base = serve(new InMemoryWebState().targets(TargetsFixture.snapshot())
                .configYaml("global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: node\n"));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));

        driver.get(base + "/targets");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 2));
        WebElement down = driver.findElement(By.cssSelector("tr.target-row[data-health='down']"));
        assertThat(down.findElement(By.cssSelector("td.error")).getText()).isEqualTo(TargetsFixture.DOWN_ERROR);
        assertThat(down.getText()).contains("DOWN").contains("http://api-1.example:8080/metrics");
        assertThat(driver.findElement(By.cssSelector("tr.target-row[data-health='up']")).getText()).contains("UP");
        assertThat(driver.findElement(By.cssSelector("details[data-pool='api'] summary")).getText())
                .contains("api").contains("0/1 up");
        Path shot = Path.of("target", "ui-targets.png");
        Files.createDirectories(shot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);

        driver.findElement(By.id("unhealthy-only")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 1));
        assertThat(driver.findElement(By.cssSelector("tr.target-row")).getAttribute("data-health")).isEqualTo("down");

        driver.findElement(By.id("search")).sendKeys("nothing-matches-this");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr.target-row"), 0));

        driver.get(base + "/targets");
        driver.findElement(By.cssSelector(".menu-button")).click();
        driver.findElement(By.linkText("Service Discovery")).click();
        wait.until(ExpectedConditions.urlContains("/service-discovery"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.sd-row[data-state='dropped']")));
        WebElement dropped = driver.findElement(By.cssSelector("tr.sd-row[data-state='dropped']"));
        assertThat(dropped.getText()).contains("__address__=\"api-2.example:8080\"").contains("DROPPED");
        List<WebElement> activeRows = driver.findElements(By.cssSelector("tr.sd-row[data-state='active']"));
        assertThat(activeRows).hasSize(2);
        assertThat(driver.findElement(By.cssSelector("details[data-pool='api'] summary")).getText())
                .contains("1 / 4 active targets");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "ui-service-discovery.png"),
                StandardCopyOption.REPLACE_EXISTING);

        driver.get(base + "/config");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("config-yaml")));
        assertThat(driver.findElement(By.id("config-yaml")).getText()).contains("job_name: node");
    }
}
