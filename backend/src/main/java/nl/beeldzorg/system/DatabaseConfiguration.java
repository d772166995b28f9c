package nl.beeldzorg.system;

import java.time.Clock;

import io.r2dbc.h2.H2ConnectionFactoryProvider;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

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

	/**
	 * The embedded H2's pool delivers each acquired connection on the bounded elastic
	 * scheduler. Without it a released connection goes to the next waiter on the
	 * releasing thread, and H2's driver runs that waiter's statements right there: in a
	 * join storm every token check and consult start queued behind one thread while the
	 * other workers idled (seen in thread dumps), 74 joins a second. PostgreSQL keeps
	 * Spring Boot's pool (its driver never blocks the thread that receives a connection).
	 */
	@Bean(destroyMethod = "dispose")
	@Conditional(OnH2.class)
	ConnectionPool connectionFactory(BeeldzorgProperties properties, Environment environment) {
		ConnectionFactory h2 = ConnectionFactories.get(r2dbcOptions(properties.database()));
		int maxSize = environment.getProperty("spring.r2dbc.pool.max-size", Integer.class, 20);
		Scheduler deliver = Schedulers.boundedElastic();
		return new ConnectionPool(ConnectionPoolConfiguration.builder(h2)
			.initialSize(Math.min(10, maxSize))
			.maxSize(maxSize)
			.customizer((pool) -> pool.acquisitionScheduler(deliver))
			.build());
	}

	/** {@code beeldzorg.database.url} names the embedded H2. */
	static final class OnH2 implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("beeldzorg.database.url");
			return url != null && isH2(url);
		}

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
