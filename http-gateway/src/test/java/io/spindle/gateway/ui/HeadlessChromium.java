package io.spindle.gateway.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's chromium driven by Debian's chromedriver, both at fixed paths: with the driver and the browser
 * named, Selenium never runs Selenium Manager (which would look for or download others), and its
 * OpenTelemetry tracing is off.
 */
final class HeadlessChromium {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** A laptop screen. */
    private static final String WINDOW = "--window-size=1366,900";
    /** Screenshots of each page, kept by the build as artifacts. */
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

    private HeadlessChromium() {}

    static boolean installed() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    static ChromeDriver start() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("webdriver.remote.enableTracing", "false");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where chromium refuses its sandbox.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", WINDOW,
                "--no-first-run", "--disable-extensions", "--disable-background-networking", "--mute-audio");
        // The console, so tests can check that no script failed and nothing broke the Content-Security-Policy.
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    /** The console's lines since the last call that report an uncaught error or a refused resource (CSP). */
    static List<String> scriptProblems(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage)
                .filter(m -> m.contains("Uncaught") || m.contains("Content Security Policy") || m.contains("SyntaxError"))
                .toList();
    }

    /** A screenshot with {@code element} scrolled to the top of the window, for what a page shows below the fold. */
    static void screenshot(ChromeDriver driver, String name, WebElement element) throws IOException {
        driver.executeScript("arguments[0].scrollIntoView({block: 'start'})", element);
        screenshot(driver, name);
    }

    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }
}
