package nl.beeldzorg.signalling;

import reactor.core.publisher.Mono;

/**
 * Decides who may join which room. The engine admits nobody without it; the backend
 * implements it by checking the join token it issued.
 */
@FunctionalInterface
public interface JoinAuthorizer {

	/**
	 * Checks a join token.
	 * @param token the token from the client's {@code join}
	 * @return the admission, or an error {@link JoinRejectedException} saying why not
	 */
	Mono<Admission> authorize(String token);

}
