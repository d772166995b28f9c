package nl.beeldzorg.web;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * Serves each page's {@code index.html} at its folder's address ({@code /programme/}),
 * which WebFlux's static resource handling does not do by itself.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration {

	@Bean
	RouterFunction<ServerResponse> pages() {
		Resource programme = new ClassPathResource("static/programme/index.html");
		return RouterFunctions
			.route(GET("/programme"), (request) -> ServerResponse.permanentRedirect(URI.create("/programme/")).build())
			.andRoute(GET("/programme/"),
					(request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(programme));
	}

}
