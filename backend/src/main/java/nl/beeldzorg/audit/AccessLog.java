package nl.beeldzorg.audit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import nl.beeldzorg.security.CurrentUser;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * NEN 7513 read logging: every read of patient data leaves a {@link AuditAction#READ}
 * record in the hash-chained trail, naming who read (and, for a token issued by token
 * exchange, on whose behalf: RFC 8693 {@code act}), what (the consult or question, or a
 * list's ids), when, and from which address. The record is written before the data goes
 * out: a read that cannot be logged fails.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class AccessLog implements WebFilter {

	private static final String REMOTE = AccessLog.class.getName() + ".remote";

	private final AuditTrail trail;

	AccessLog(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null) {
			return chain.filter(exchange);
		}
		String address = (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
		return chain.filter(exchange).contextWrite((context) -> context.put(REMOTE, address));
	}

	/**
	 * Logs the read of one consult or question.
	 * @param user the reader
	 * @param institutionId whose consult, if known
	 * @param subject the consult or written IMOZ question
	 * @param what what was read, e.g. {@code consult.audit}
	 * @return completion, once the record is chained
	 */
	public Mono<Void> read(CurrentUser user, @Nullable String institutionId, UUID subject, String what) {
		return append(user, institutionId, subject, what, null);
	}

	/**
	 * Logs the read of a list (one record for the request, naming every row). An empty
	 * list showed no patient data and is not logged.
	 * @param user the reader
	 * @param institutionId the institution the list was scoped to, if any
	 * @param subjects the ids of the consults or questions it showed
	 * @param what what was listed, e.g. {@code consults.inbox}
	 * @return completion, once the record is chained
	 */
	public Mono<Void> listed(CurrentUser user, @Nullable String institutionId, Collection<UUID> subjects, String what) {
		if (subjects.isEmpty()) {
			return Mono.empty();
		}
		List<UUID> distinct = subjects.stream().distinct().toList();
		List<Mono<Void>> records = new ArrayList<>();
		for (int from = 0; from < distinct.size(); from += PER_RECORD) {
			List<UUID> chunk = distinct.subList(from, Math.min(distinct.size(), from + PER_RECORD));
			records.add(append(user, institutionId, null, what + " (" + distinct.size() + ")",
					chunk.stream().map(UUID::toString).collect(Collectors.joining(" "))));
		}
		return Flux.concat(records).then();
	}

	/** Ids per record of a list, so a long export fits the subjects column. */
	private static final int PER_RECORD = 1000;

	private Mono<Void> append(CurrentUser user, @Nullable String institutionId, @Nullable UUID subject, String what,
			@Nullable String subjects) {
		return Mono.deferContextual((context) -> actor(user).flatMap((actor) -> this.trail
			.appendNow(new AuditTrail.Entry(actor.actorId(), actor.onBehalfOf(), institutionId, subject,
					AuditAction.READ, what, remote(context), subjects))
			.then()));
	}

	private static @Nullable String remote(ContextView context) {
		return context.getOrEmpty(REMOTE).map(Object::toString).orElse(null);
	}

	/** The RFC 8693 actor, when someone acts for the token's subject. */
	private static Mono<Actor> actor(CurrentUser user) {
		Actor self = new Actor(user.userId(), null);
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull((context) -> context.getAuthentication())
			.filter(JwtAuthenticationToken.class::isInstance)
			.map((authentication) -> {
				Object act = ((JwtAuthenticationToken) authentication).getToken().getClaim("act");
				if (act instanceof Map<?, ?> claims && claims.get("sub") != null
						&& !claims.get("sub").toString().isBlank()) {
					return new Actor(claims.get("sub").toString(), user.userId());
				}
				return self;
			})
			.defaultIfEmpty(self);
	}

	private record Actor(String actorId, @Nullable String onBehalfOf) {
	}

}
