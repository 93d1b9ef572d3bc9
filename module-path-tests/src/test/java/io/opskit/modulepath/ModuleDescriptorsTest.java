package io.opskit.modulepath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Provides;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The descriptors of the opskit jars (or of their compiled classes, when the reactor has not
 * packaged them): each module exports its API packages and never an {@code internal} one.
 */
class ModuleDescriptorsTest {

    private static final Set<String> MODULES = Set.of("io.opskit.core", "io.opskit.jdbc", "io.opskit.redis",
            "io.opskit.http", "io.opskit.servlet", "io.opskit.spring.boot", "io.opskit.spring.boot3");
    private static Map<String, ModuleReference> opskit;

    @BeforeAll
    static void findTheModules() throws IOException, URISyntaxException {
        opskit = new TreeMap<>();
        for (URL url : Collections.list(ModuleDescriptorsTest.class.getClassLoader().getResources("module-info.class"))) {
            for (ModuleReference ref : ModuleFinder.of(root(url)).findAll()) {
                if (ref.descriptor().name().startsWith("io.opskit.") && !ref.descriptor().name().equals("io.opskit.modulepath")) {
                    opskit.put(ref.descriptor().name(), ref);
                }
            }
        }
    }

    /** The jar or the directory that holds {@code module-info.class}. */
    private static Path root(URL moduleInfo) throws URISyntaxException {
        String s = moduleInfo.toString();
        if (s.startsWith("jar:")) {
            return Path.of(new java.net.URI(s.substring(4, s.indexOf("!/"))));
        }
        return Path.of(moduleInfo.toURI()).getParent();
    }

    @Test
    void everyLibraryJarIsANamedModuleWithItsOwnDescriptor() {
        assertThat(opskit.keySet()).containsExactlyInAnyOrderElementsOf(MODULES);
        opskit.values().forEach(ref -> assertThat(ref.descriptor().isAutomatic()).as(ref.descriptor().name()).isFalse());
        opskit.values().forEach(ref -> assertThat(ref.descriptor().isOpen()).as(ref.descriptor().name()).isFalse());
    }

    @Test
    void everyApiPackageIsExportedToAllAndNoInternalOne() {
        for (ModuleReference ref : opskit.values()) {
            ModuleDescriptor d = ref.descriptor();
            Set<String> api = d.packages().stream().filter(p -> !isInternal(p)).collect(Collectors.toCollection(TreeSet::new));
            Set<String> exportedToAll = d.exports().stream().filter(e -> !e.isQualified()).map(Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(exportedToAll).as(d.name() + " exports its API packages, only those").isEqualTo(api);
            assertThat(api).as(d.name() + " has API").isNotEmpty();
        }
    }

    @Test
    void internalPackagesAreSharedOnlyWithOtherOpskitModules() {
        for (ModuleReference ref : opskit.values()) {
            ModuleDescriptor d = ref.descriptor();
            for (Exports e : d.exports()) {
                if (e.isQualified()) {
                    assertThat(e.targets()).as(d.name() + " exports " + e.source() + " to")
                            .allMatch(t -> MODULES.contains(t) && !t.equals(d.name()));
                }
            }
            d.opens().forEach(o -> assertThat(isInternal(o.source())).as(d.name() + " opens " + o.source()).isFalse());
        }
    }

    @Test
    void onlyTheStartersOpenAPackageAndOnlyToSpringReflection() {
        Map<String, Set<String>> opened = new TreeMap<>();
        opskit.values().forEach(ref -> ref.descriptor().opens()
                .forEach(o -> opened.computeIfAbsent(ref.descriptor().name(), k -> new TreeSet<>()).add(o.source())));
        // the Boot 3 starter is the same package built against Boot 3.5: an application has one of the two
        assertThat(opened).isEqualTo(Map.of("io.opskit.spring.boot", Set.of("io.opskit.spring.boot"),
                "io.opskit.spring.boot3", Set.of("io.opskit.spring.boot")));
    }

    @Test
    void servicesOfTheJarAreProvidedByItsDescriptor() throws IOException {
        for (ModuleReference ref : opskit.values()) {
            ModuleDescriptor d = ref.descriptor();
            Map<String, List<String>> inDescriptor = d.provides().stream()
                    .collect(Collectors.toMap(Provides::service, Provides::providers));
            Map<String, List<String>> inServiceFiles = serviceFiles(ref);
            // on the module path the descriptor is what counts; META-INF/services serves the class path
            assertThat(inDescriptor).as(d.name() + " provides").isEqualTo(inServiceFiles);
        }
        assertThat(opskit.get("io.opskit.servlet").descriptor().provides()).isNotEmpty();
    }

    @Test
    void theServletModuleDeclaresTheServiceItLooksUp() {
        // OpsLookup calls ServiceLoader.load(OpsProvider.class): without "uses" it throws on the module path
        assertThat(opskit.get("io.opskit.servlet").descriptor().uses()).containsExactly("io.opskit.servlet.OpsProvider");
    }

    @Test
    void theManifestNamesTheSameModule() throws IOException {
        for (ModuleReference ref : opskit.values()) {
            Optional<Path> location = ref.location().map(Path::of);
            if (location.isPresent() && Files.isRegularFile(location.get())) {
                try (JarFile jar = new JarFile(location.get().toFile())) {
                    assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                            .as(location.get().toString()).isEqualTo(ref.descriptor().name());
                }
            }
        }
        assertThat(opskit).isNotEmpty();
    }

    private static boolean isInternal(String pkg) {
        return List.of(pkg.split("\\.")).contains("internal");
    }

    private static Map<String, List<String>> serviceFiles(ModuleReference ref) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        try (ModuleReader reader = ref.open()) {
            List<String> names = reader.list().filter(n -> n.startsWith("META-INF/services/") && !n.endsWith("/")).toList();
            for (String name : names) {
                try (InputStream in = reader.open(name).orElseThrow();
                        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    out.put(name.substring("META-INF/services/".length()), lines.lines()
                            .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList());
                }
            }
        }
        return out;
    }
}
