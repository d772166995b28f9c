package nl.beeldzorg.consult;

import java.util.LinkedHashMap;
import java.util.Map;

import nl.beeldzorg.security.JoinTokens;
import nl.beeldzorg.signalling.Admission;
import nl.beeldzorg.signalling.JoinAuthorizer;
import nl.beeldzorg.signalling.JoinRejectedException;
import nl.beeldzorg.signalling.SignallingError;
import nl.beeldzorg.system.DatabaseOutages;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.IceServers;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Admits a user to a consult's room with a join token: signed by us, for a party of a
 * consult that can still be joined. Past its first-join lifetime a token still serves a
 * rejoin (network switch, page reload) by a user who joined before; while the database is
 * away, a user this node admitted to the consult before is let back in on the token
 * alone.
 */
@Component
class ConsultJoinAuthorizer implements JoinAuthorizer {

	static final int ADMISSIONS_KEPT = 20_000;

	private final JoinTokens tokens;

	private final ConsultRepository consults;

	private final IceServers iceServers;

	private final DatabaseScheduler scheduler;

	/**
	 * Consult and user of the latest admissions on this node (at most
	 * {@link #ADMISSIONS_KEPT}, oldest dropped first).
	 */
	private final Map<String, Boolean> admitted = new LinkedHashMap<>(256, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > ADMISSIONS_KEPT;
		}

	};

	ConsultJoinAuthorizer(JoinTokens tokens, ConsultRepository consults, IceServers iceServers,
			DatabaseScheduler scheduler) {
		this.tokens = tokens;
		this.consults = consults;
		this.iceServers = iceServers;
		this.scheduler = scheduler;
	}

	@Override
	public Mono<Admission> authorize(String token) {
		JoinTokens.JoinClaims claims = this.tokens.verify(token);
		if (claims == null) {
			return Mono.error(rejected("The join token is malformed or not signed by this service"));
		}
		Mono<Admission> check = this.consults.findById(claims.consultId())
			.switchIfEmpty(Mono.error(() -> rejected("No such consult")))
			.flatMap((consult) -> {
				if (consult.state().isFinal()) {
					return Mono.error(new JoinRejectedException(SignallingError.CONSULT_ENDED,
							"The consult is " + consult.state()));
				}
				Mono<Boolean> party = consult.isParty(claims.userId()) ? Mono.just(true)
						: this.consults.isInvited(consult.id(), claims.userId());
				return party.flatMap((allowed) -> allowed ? admit(consult, claims)
						: Mono.error(rejected("You are not a party to this consult")));
			});
		String key = claims.consultId() + " " + claims.userId();
		return this.scheduler.run(check).doOnNext((admission) -> remember(key)).onErrorResume((ex) -> {
			if (ex instanceof JoinRejectedException) {
				forget(key);
				return Mono.error(ex);
			}
			// The database is away: a user this node admitted to this consult
			// before may come back (network switch, reload) on the word of the
			// signed token, so a running call survives the outage. Nothing can end
			// a consult meanwhile; one that ended before has no room left, so the
			// user would sit alone in an empty one.
			if (DatabaseOutages.isOutage(ex) && admittedBefore(key)) {
				return Mono.just(new Admission(claims.consultId().toString(), claims.userId(), claims.name(),
						claims.discipline(), this.iceServers.forUser(claims.userId())));
			}
			return Mono.error(ex);
		});
	}

	private void remember(String key) {
		synchronized (this.admitted) {
			this.admitted.put(key, Boolean.TRUE);
		}
	}

	private void forget(String key) {
		synchronized (this.admitted) {
			this.admitted.remove(key);
		}
	}

	private boolean admittedBefore(String key) {
		synchronized (this.admitted) {
			return this.admitted.containsKey(key);
		}
	}

	private Mono<Admission> admit(Consult consult, JoinTokens.JoinClaims claims) {
		Mono<Boolean> fresh = claims.expired() ? this.consults.hasJoined(consult.id(), claims.userId())
				: Mono.just(true);
		return fresh.flatMap((ok) -> ok
				? Mono.just(new Admission(consult.id().toString(), claims.userId(), claims.name(), claims.discipline(),
						this.iceServers.forUser(claims.userId())))
				: Mono.error(rejected("The join token has expired; fetch the consult for a new one")));
	}

	private static JoinRejectedException rejected(String message) {
		return new JoinRejectedException(SignallingError.INVALID_TOKEN, message);
	}

}
