package nl.beeldzorg.system;

import java.time.Clock;

import io.r2dbc.h2.H2ConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One database setting ({@code beeldzorg.database.url}, a JDBC URL) feeds both Flyway
 * (JDBC) and the application (R2DBC), so operators configure one URL, and the application
 * refuses to start without it.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	/** Flyway migrates over JDBC (it has no R2DBC support) with the same URL. */
	@Bean
	MigrationConnectionDetails migrationConnectionDetails(BeeldzorgProperties properties) {
		return new MigrationConnectionDetails(properties.database());
	}

	@Bean
	R2dbcConnectionDetails r2dbcConnectionDetails(BeeldzorgProperties properties) {
		ConnectionFactoryOptions options = r2dbcOptions(properties.database());
		return () -> options;
	}

	@Bean
	DatabaseScheduler databaseScheduler(BeeldzorgProperties properties) {
		// H2's R2DBC driver runs the embedded engine on the subscribing thread (file I/O,
		// lock waits): offload it. PostgreSQL's driver is non-blocking and runs in place.
		return isH2(required(properties.database().url())) ? new DatabaseScheduler(Schedulers.boundedElastic())
				: new DatabaseScheduler(null);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	/**
	 * Connection details for both JDBC's (which enables Flyway without a pooled
	 * {@code DataSource}) and Flyway's own lookup.
	 */
	static final class MigrationConnectionDetails implements JdbcConnectionDetails, FlywayConnectionDetails {

		private final BeeldzorgProperties.Database database;

		MigrationConnectionDetails(BeeldzorgProperties.Database database) {
			this.database = database;
		}

		@Override
		public @Nullable String getUsername() {
			return this.database.username();
		}

		@Override
		public @Nullable String getPassword() {
			return this.database.password();
		}

		@Override
		public String getJdbcUrl() {
			return required(this.database.url());
		}

		@Override
		public String getDriverClassName() {
			return isH2(getJdbcUrl()) ? "org.h2.Driver" : "org.postgresql.Driver";
		}

	}

	static ConnectionFactoryOptions r2dbcOptions(BeeldzorgProperties.Database database) {
		String url = required(database.url());
		if (!url.startsWith("jdbc:")) {
			throw new IllegalArgumentException("beeldzorg.database.url must be a JDBC URL (jdbc:postgresql://…)");
		}
		ConnectionFactoryOptions.Builder builder;
		if (isH2(url)) {
			builder = ConnectionFactoryOptions.builder()
				.option(ConnectionFactoryOptions.DRIVER, H2ConnectionFactoryProvider.H2_DRIVER)
				.option(H2ConnectionFactoryProvider.URL, url.substring("jdbc:h2:".length()));
		}
		else {
			builder = ConnectionFactoryOptions.parse("r2dbc:" + url.substring("jdbc:".length())).mutate();
		}
		if (BeeldzorgProperties.hasText(database.username())) {
			builder.option(ConnectionFactoryOptions.USER, database.username());
		}
		if (database.password() != null) {
			builder.option(ConnectionFactoryOptions.PASSWORD, database.password());
		}
		return builder.build();
	}

	private static boolean isH2(String url) {
		return url.startsWith("jdbc:h2:");
	}

	private static String required(@Nullable String url) {
		if (url == null) {
			throw new IllegalStateException("beeldzorg.database.url is not set");
		}
		return url;
	}

}
