package nl.beeldzorg.routing;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import nl.beeldzorg.cluster.SharedPresence;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Who can be reached now: an open app (an event stream on this node, or on another node
 * when the nodes share presence through Redis) or a Web Push subscription (a locked phone
 * still rings).
 */
@Component
public class Presence {

	private final ConcurrentHashMap<String, Integer> openStreams = new ConcurrentHashMap<>();

	private static final Logger logger = LoggerFactory.getLogger(Presence.class);

	private final DatabaseClient db;

	private final @Nullable SharedPresence shared;

	Presence(DatabaseClient db, ObjectProvider<SharedPresence> shared) {
		this.db = db;
		this.shared = shared.getIfAvailable();
	}

	/**
	 * @param userId a user whose app opened its event stream
	 */
	public void opened(String userId) {
		int streams = this.openStreams.merge(userId, 1, Integer::sum);
		SharedPresence shared = this.shared;
		if (streams == 1 && shared != null) {
			shared.opened(userId)
				.subscribe(null,
						(ex) -> logger.warn("Could not tell Redis that {} is online: {}", userId, ex.toString()));
		}
	}

	/**
	 * @param userId a user whose app closed its event stream
	 */
	public void closed(String userId) {
		Integer left = this.openStreams.computeIfPresent(userId, (user, count) -> (count > 1) ? count - 1 : null);
		SharedPresence shared = this.shared;
		if (left == null && shared != null) {
			shared.closed(userId)
				.subscribe(null, (ex) -> logger.warn("Could not tell Redis that {} left: {}", userId, ex.toString()));
		}
	}

	/**
	 * @param userId a user
	 * @return whether the user's app has an event stream open on this node
	 */
	public boolean hasOpenApp(String userId) {
		return this.openStreams.containsKey(userId);
	}

	/**
	 * @param userIds some users
	 * @return those reachable by an open app or a push subscription
	 */
	public Mono<Set<String>> reachable(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return Mono.just(Set.of());
		}
		Set<String> open = userIds.stream()
			.filter(this::hasOpenApp)
			.collect(Collectors.toCollection(ConcurrentHashMap::newKeySet));
		List<String> elsewhere = userIds.stream().filter((user) -> !open.contains(user)).toList();
		SharedPresence shared = this.shared;
		Mono<Set<String>> onOtherNodes = (shared != null && !elsewhere.isEmpty())
				? shared.open(elsewhere).onErrorResume((ex) -> {
					// Redis away: push subscriptions and this node's streams still count.
					logger.warn("Presence from Redis unavailable: {}", ex.toString());
					return Mono.just(Set.of());
				}) : Mono.just(Set.of());
		return onOtherNodes.doOnNext(open::addAll)
			.thenMany(Flux.fromIterable(elsewhere))
			.filter((user) -> !open.contains(user))
			.collectList()
			.flatMapMany((rest) -> rest.isEmpty() ? Flux.empty()
					: this.db.sql("SELECT DISTINCT user_id FROM push_subscription WHERE user_id IN (:users)")
						.bind("users", rest)
						.map((row) -> row.get("user_id", String.class))
						.all())
			.collect(Collectors.toCollection(() -> ConcurrentHashMap.<String>newKeySet()))
			.map((pushed) -> {
				pushed.addAll(open);
				return pushed;
			});
	}

}
