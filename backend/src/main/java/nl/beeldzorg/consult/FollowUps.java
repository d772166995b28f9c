package nl.beeldzorg.consult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import reactor.core.publisher.Flux;

import org.springframework.stereotype.Service;

/**
 * A consultant's follow-ups: outcomes still to record ("Nog in te vullen") and missed
 * calls ("Gemiste oproepen"), each only the caller's own.
 */
@Service
class FollowUps {

	/** The longest look back at missed calls: a week. */
	static final int MAX_HOURS = 168;

	private final FollowUpRepository followUps;

	private final ConsultViews views;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final nl.beeldzorg.audit.AccessLog access;

	FollowUps(FollowUpRepository followUps, ConsultViews views, DatabaseScheduler scheduler, Clock clock,
			nl.beeldzorg.audit.AccessLog access) {
		this.access = access;
		this.followUps = followUps;
		this.views = views;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	Flux<ConsultView> pendingOutcomes(CurrentUser user) {
		if (!user.isConsultant()) {
			return Flux.error(notAConsultant());
		}
		return this.scheduler.run(this.followUps.pendingOutcomes(user.userId()))
			.concatMap((consult) -> this.views.view(consult, user))
			.collectList()
			.flatMapMany((views) -> this.access
				.listed(user, user.institutionId(), views.stream().map(ConsultView::id).toList(), "me.pending-outcomes")
				.thenMany(Flux.fromIterable(views)));
	}

	Flux<MissedCall> missedCalls(CurrentUser user, int hours) {
		if (!user.isConsultant()) {
			return Flux.error(notAConsultant());
		}
		if (hours < 1 || hours > MAX_HOURS) {
			return Flux.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"hours must be between 1 and " + MAX_HOURS + " (a week)"));
		}
		Instant since = this.clock.instant().minus(Duration.ofHours(hours));
		return this.scheduler.run(this.followUps.missedCalls(user.userId(), since))
			.concatMap((missed) -> this.views.view(missed.consult(), user)
				.map((view) -> new MissedCall(view, missed.rungAt(), MissedCall.Reason.of(missed.consult()))))
			.collectList()
			.flatMapMany((calls) -> this.access
				.listed(user, user.institutionId(), calls.stream().map((call) -> call.consult().id()).toList(),
						"me.missed-calls")
				.thenMany(Flux.fromIterable(calls)));
	}

	private static ApiException notAConsultant() {
		return new ApiException(ErrorCode.NOT_A_CONSULTANT,
				"Outcomes and missed calls are kept for consultants (SO, BA, VS, PA, GZP)");
	}

	/**
	 * A consult that rang for the caller and went elsewhere.
	 *
	 * @param consult the consult as it is now ({@code consultant} names the colleague who
	 * took it)
	 * @param rungAt when it started ringing for the caller
	 * @param reason why it stopped ringing for them
	 */
	record MissedCall(ConsultView consult, Instant rungAt, Reason reason) {

		/** Why a call stopped ringing for the caller. */
		enum Reason {

			/** Nobody answered in time; the requester was told whom to call instead. */
			MISSED,

			/** The requester withdrew it. */
			CANCELLED,

			/** A colleague (the backup, another consultant rung at once) took it. */
			ANSWERED_BY_COLLEAGUE;

			static Reason of(Consult consult) {
				return switch (consult.state()) {
					case MISSED -> MISSED;
					case CANCELLED -> CANCELLED;
					default -> ANSWERED_BY_COLLEAGUE;
				};
			}

		}

	}

}
