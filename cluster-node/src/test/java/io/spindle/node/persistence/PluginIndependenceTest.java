package io.spindle.node.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin could be published on its own: its compiled classes refer to no Spindle type outside
 * this package. Reads the constant pools of the class files, so a fully qualified name in the
 * code counts as much as an import.
 */
class PluginIndependenceTest {
    private static final String PLUGIN_PACKAGE = "io/spindle/node/persistence/";
    private static final Pattern SPINDLE_TYPE = Pattern.compile("io/spindle/[A-Za-z0-9_/$]+");

    @Test
    void pluginClassesReferToNoOtherSpindlePackage() throws IOException, URISyntaxException {
        Path classes = Path.of(MongoJournal.class.getResource("MongoJournal.class").toURI()).getParent();
        Map<String, Set<String>> foreignByClass = new TreeMap<>();
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(classes)) {
            classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
        }
        for (Path classFile : classFiles) {
            // ISO-8859-1 maps every byte to one char, so the constant pool's class names read as text.
            Matcher types = SPINDLE_TYPE.matcher(new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1));
            while (types.find()) {
                if (!types.group().startsWith(PLUGIN_PACKAGE)) {
                    foreignByClass.computeIfAbsent(classFile.getFileName().toString(), name -> new TreeSet<>())
                            .add(types.group());
                }
            }
        }

        assertTrue(classFiles.size() > 10, "found the plugin's classes in " + classes + ": " + classFiles);
        assertEquals(Map.of(), foreignByClass, "plugin classes referring to other Spindle packages");
    }
}
