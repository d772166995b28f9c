package nl.beeldzorg.web;

import java.net.URI;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * Serves each page's {@code index.html} at its folder's address ({@code /programme/},
 * {@code /app/} for the consultant's app, {@code /glasses/} for the glasses page,
 * {@code /huisarts/} for the huisarts's IMOZ page), which WebFlux's static resource
 * handling does not do by itself.
 */
@Configuration(proxyBeanMethods = false)
class PagesConfiguration {

	private static final List<String> PAGES = List.of("programme", "app", "glasses", "huisarts");

	@Bean
	RouterFunction<ServerResponse> pages() {
		RouterFunctions.Builder routes = RouterFunctions.route();
		for (String page : PAGES) {
			Resource index = new ClassPathResource("static/" + page + "/index.html");
			routes.GET("/" + page, (request) -> ServerResponse.permanentRedirect(URI.create("/" + page + "/")).build())
				.GET("/" + page + "/",
						(request) -> ServerResponse.ok()
							.contentType(MediaType.TEXT_HTML)
							.header(HttpHeaders.CACHE_CONTROL, "no-cache")
							.bodyValue(index));
		}
		return routes.build();
	}

	/**
	 * The app's service worker must be served as JavaScript and re-checked on every
	 * visit, so a release reaches phones that keep the app open for days.
	 */
	@Bean
	RouterFunction<ServerResponse> serviceWorker() {
		Resource worker = new ClassPathResource("static/app/sw.js");
		return RouterFunctions.route(GET("/app/sw.js"),
				(request) -> ServerResponse.ok()
					.contentType(MediaType.parseMediaType("text/javascript"))
					.header(HttpHeaders.CACHE_CONTROL, "no-cache")
					.header("Service-Worker-Allowed", "/app/")
					.bodyValue(worker));
	}

}
