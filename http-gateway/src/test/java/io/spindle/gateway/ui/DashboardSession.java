package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A browser test's world, one per test class: a real node serving the dashboard ({@link DashboardNode}), an API
 * client to it and a headless chromium; after each test, no script failed and the Content Security Policy blocked
 * nothing.
 */
final class DashboardSession implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private DashboardNode node;
    private DashboardApi client;
    private ChromeDriver browser;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        assertTrue(HeadlessChromium.installed(), "needs Debian's chromium and chromium-driver at /usr/bin: apt-get install -y chromium chromium-driver");
        node = DashboardNode.start();
        client = new DashboardApi(node.openUrl());
        browser = HeadlessChromium.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(List.of(), HeadlessChromium.scriptProblems(browser), "script errors or Content Security Policy reports");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (node != null) {
            node.close();
        }
    }

    DashboardNode node() {
        return node;
    }

    DashboardApi client() {
        return client;
    }

    ChromeDriver browser() {
        return browser;
    }
}
