package io.spindle.gateway.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Accessibility checks run in the page as it stands, with no external tool: every form control has a name, and
 * text keeps WCAG AA contrast with its background. Each answers what it found wrong, empty when nothing.
 */
final class Accessibility {
    private static final String UNLABELED = script("unlabeled-controls.js");
    private static final String LOW_CONTRAST = script("low-contrast.js");

    private Accessibility() {}

    static List<String> unlabeledControls(ChromeDriver driver) {
        return strings(driver.executeScript(UNLABELED));
    }

    static List<String> lowContrastText(ChromeDriver driver) {
        return strings(driver.executeScript(LOW_CONTRAST));
    }

    private static List<String> strings(Object answer) {
        return ((List<?>) answer).stream().map(String::valueOf).toList();
    }

    private static String script(String name) {
        try (InputStream in = Accessibility.class.getResourceAsStream("/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource ui/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
