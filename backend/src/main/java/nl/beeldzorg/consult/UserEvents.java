package nl.beeldzorg.consult;

import nl.beeldzorg.security.CurrentUser;
import reactor.core.publisher.Flux;

import org.springframework.http.codec.ServerSentEvent;

/**
 * Live events of another feature (e.g. written IMOZ questions) that travel on the
 * caller's one event stream ({@code GET /api/v1/events}) beside the consult events. Each
 * source decides itself what the caller may see.
 */
public interface UserEvents {

	/**
	 * @param user the caller
	 * @return the events for that caller from now on, without keep-alives (the consult
	 * stream sends those)
	 */
	Flux<ServerSentEvent<?>> stream(CurrentUser user);

}
