package nl.beeldzorg.consult;

import io.r2dbc.h2.H2ConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import nl.beeldzorg.support.H2TestDatabase;

/**
 * {@link ConsultRepositoryTests} on the embedded H2 of demo mode.
 */
class ConsultRepositoryOnH2Tests extends ConsultRepositoryTests {

	private final String url = H2TestDatabase.create("beeldzorg-repository");

	@Override
	String jdbcUrl() {
		return this.url;
	}

	@Override
	String user() {
		return "sa";
	}

	@Override
	ConnectionFactory connectionFactory() {
		return ConnectionFactories.get(ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "h2")
			.option(H2ConnectionFactoryProvider.URL, this.url.substring("jdbc:h2:".length()))
			.option(ConnectionFactoryOptions.USER, "sa")
			.build());
	}

}
