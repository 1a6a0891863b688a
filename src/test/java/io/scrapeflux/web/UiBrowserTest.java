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

        InMemoryWebState state = new InMemoryWebState().ready(true).targets(TargetsFixture.snapshot())
                .configYaml("global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: node\n");
        server = WebServer.builder(new InetSocketAddress("127.0.0.1", 0), new PrometheusRegistry())
                .state(state).externalHost("promhost").build();
        server.start();

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

    @Test
    void targetsAndServiceDiscovery() throws Exception {
        String base = "http://127.0.0.1:" + server.port();
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
