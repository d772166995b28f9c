package nl.beeldzorg.edge;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Timeouts of the Netty server so a slow client cannot hold a connection for minutes: the
 * request head within {@code beeldzorg.connections.request-header-timeout}
 * ({@link RequestHeaderDeadline}), and a request body with pauses of at most
 * {@code request-read-timeout} and within {@code request-timeout} in all (Reactor Netty's
 * own {@code readTimeout} and {@code requestTimeout}, answered with 408). Spring Boot has
 * no properties for these.
 */
@Configuration(proxyBeanMethods = false)
class SlowClientsConfiguration {

	@Bean
	NettyServerCustomizer slowClientTimeouts(ConnectionProperties limits) {
		return (server) -> server
			.doOnChannelInit((observer, channel, remoteAddress) -> RequestDeadlines.install(channel, limits));
	}

}
