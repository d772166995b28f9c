package nl.beeldzorg.routing;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Who can be reached now: an open app (an event stream on this node) or a Web Push
 * subscription (a locked phone still rings).
 */
@Component
public class Presence {

	private final ConcurrentHashMap<String, Integer> openStreams = new ConcurrentHashMap<>();

	private final DatabaseClient db;

	Presence(DatabaseClient db) {
		this.db = db;
	}

	/**
	 * @param userId a user whose app opened its event stream
	 */
	public void opened(String userId) {
		this.openStreams.merge(userId, 1, Integer::sum);
	}

	/**
	 * @param userId a user whose app closed its event stream
	 */
	public void closed(String userId) {
		this.openStreams.computeIfPresent(userId, (user, count) -> (count > 1) ? count - 1 : null);
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
		Set<String> open = userIds.stream().filter(this::hasOpenApp).collect(Collectors.toSet());
		return Flux.fromIterable(userIds)
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
