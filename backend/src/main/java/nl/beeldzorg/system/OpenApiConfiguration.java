package nl.beeldzorg.system;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import reactor.core.scheduler.Schedulers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.server.WebFilter;

/**
 * The generated OpenAPI document's title, description and bearer-token scheme.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI beeldzorgOpenApi() {
		return new OpenAPI().info(new Info().title("Beeldzorg API")
			.version("v1")
			.description("Video consults for elderly care. The public contract is docs/API.md; errors are RFC 9457"
					+ " problem details with a stable 'code'. Signalling runs over the WebSocket /ws/signalling"
					+ " (not described here; see docs/API.md). v1.1: clients report {\"type\":\"media-state\",\"state\":"
					+ "\"connecting|connected|disconnected|failed\",\"stats\":{rttMs,lossPct,kbpsIn,kbpsOut,width,"
					+ "height,relay}} over signalling (stats at most every 10 s); a consult's connectedAt is the first"
					+ " moment a party reported connected."))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	/**
	 * Serves the OpenAPI document off the event loop. springdoc builds it once, in the
	 * background from start-up, under a lock; a request that arrives before the build is
	 * done waits on that lock, which must not happen on an event-loop thread (BlockHound
	 * answered such a request with a 500).
	 */
	@Bean
	WebFilter openApiOffEventLoop() {
		return (exchange, chain) -> exchange.getRequest().getPath().value().startsWith("/v3/api-docs")
				? chain.filter(exchange).subscribeOn(Schedulers.boundedElastic()) : chain.filter(exchange);
	}

}
