package nl.beeldzorg.consult;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import nl.beeldzorg.support.TestPostgres;
import org.junit.jupiter.api.AfterEach;

/**
 * {@link ConsultRepositoryTests} on the real PostgreSQL.
 */
class ConsultRepositoryOnPostgresTests extends ConsultRepositoryTests {

	private final String url = TestPostgres.createDatabase("beeldzorg_repository");

	@Override
	String jdbcUrl() {
		return this.url;
	}

	@Override
	String user() {
		return TestPostgres.USER;
	}

	@Override
	ConnectionFactory connectionFactory() {
		return ConnectionFactories
			.get("r2dbc:postgresql://" + TestPostgres.USER + "@" + this.url.substring("jdbc:postgresql://".length()));
	}

	@AfterEach
	void drop() {
		TestPostgres.dropDatabase(this.url);
	}

}
