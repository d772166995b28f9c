package nl.beeldzorg.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The deployment files under {@code infra/}, and what the application itself knows about
 * its configuration: the property metadata written by Spring Boot's configuration
 * processor (ours) and shipped in Spring Boot's jars, and the keys and placeholders of
 * {@code application*.properties}.
 */
final class Infra {

	/** {@code infra/} of the repository (the tests run in {@code backend/}). */
	static final Path DIR = locate();

	/**
	 * Environment variables that are not Spring properties but are read by the JVM.
	 */
	static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Infra() {
	}

	private static Path locate() {
		Path here = Path.of("").toAbsolutePath();
		for (Path dir = here; dir != null; dir = dir.getParent()) {
			if (Files.isDirectory(dir.resolve("infra/k8s"))) {
				return dir.resolve("infra");
			}
		}
		throw new IllegalStateException("No infra/k8s above " + here);
	}

	static Path file(String relative) {
		Path path = DIR.resolve(relative);
		if (!Files.isRegularFile(path)) {
			throw new AssertionError("Missing " + path);
		}
		return path;
	}

	static String read(String relative) {
		try {
			return Files.readString(file(relative));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param relative a YAML file under {@code infra/}
	 * @return its documents (merge keys resolved), as Jackson trees
	 */
	static List<JsonNode> yaml(String relative) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		Yaml yaml = new Yaml(new SafeConstructor(options));
		List<JsonNode> documents = new ArrayList<>();
		for (Object document : yaml.loadAll(read(relative))) {
			if (document != null) {
				documents.add(JSON.valueToTree(document));
			}
		}
		return documents;
	}

	static JsonNode json(String relative) {
		return JSON.readTree(read(relative));
	}

	/**
	 * Every property the application can be configured with: the configuration metadata
	 * on the class path, plus the keys and the placeholders of its properties files.
	 */
	static final class KnownProperties {

		private final Set<String> names = new TreeSet<>();

		private final Set<String> maps = new TreeSet<>();

		private final Set<String> placeholders = new TreeSet<>();

		KnownProperties() {
			ClassLoader loader = Infra.class.getClassLoader();
			try {
				for (String resource : List.of("META-INF/spring-configuration-metadata.json",
						"META-INF/additional-spring-configuration-metadata.json")) {
					Enumeration<URL> urls = loader.getResources(resource);
					while (urls.hasMoreElements()) {
						try (InputStream in = urls.nextElement().openStream()) {
							for (JsonNode property : JSON.readTree(in).path("properties")) {
								String name = property.path("name").asString();
								this.names.add(name);
								if (property.path("type").asString("").startsWith("java.util.Map")) {
									this.maps.add(name);
								}
							}
						}
					}
				}
				Pattern placeholder = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)");
				for (String file : List.of("application.properties", "application-demo.properties",
						"application-production.properties")) {
					try (InputStream in = loader.getResourceAsStream(file)) {
						if (in == null) {
							continue;
						}
						Properties properties = new Properties();
						properties.load(in);
						for (String key : properties.stringPropertyNames()) {
							this.names.add(key.replaceAll("\\[.*$", ""));
							Matcher matcher = placeholder.matcher(properties.getProperty(key));
							while (matcher.find()) {
								this.placeholders.add(matcher.group(1));
							}
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			if (!this.names.contains("beeldzorg.database.url")) {
				throw new IllegalStateException("The application's configuration metadata is not on the class path");
			}
		}

		boolean contains(String property) {
			return this.names.contains(property);
		}

		/**
		 * @param variable an environment variable
		 * @return the properties it sets under Spring Boot's relaxed binding (empty: none
		 * the application knows)
		 */
		List<String> boundBy(String variable) {
			List<String> bound = new ArrayList<>();
			if (this.placeholders.contains(variable)) {
				bound.add("${" + variable + "}");
			}
			Map<String, Object> one = new LinkedHashMap<>();
			one.put(variable, "x");
			ConfigurationPropertySource source = ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, one));
			for (String name : this.names) {
				if (!ConfigurationPropertyName.isValid(name)) {
					continue;
				}
				ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
				ConfigurationProperty found = source.getConfigurationProperty(property);
				if (found != null || (this.maps.contains(name)
						&& source.containsDescendantOf(property) == ConfigurationPropertyState.PRESENT)) {
					bound.add(name);
				}
			}
			return bound;
		}

	}

}
