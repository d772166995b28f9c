package nl.beeldzorg.consult;

import java.time.Instant;
import java.util.Objects;

import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.directory.Location;
import nl.beeldzorg.routing.Router;
import nl.beeldzorg.routing.Router.RingPlan;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Chooses the routing for a new consult: a named consultant; ANW by the on-call roster of
 * the location's subregion; EXPERT by expertise across the region; otherwise the
 * institution's present consultants (with stepped care where the institution has it).
 * When nobody can be rung the requester is told whom to call instead.
 */
@Component
class ConsultRouting {

	private final Router router;

	private final Directory directory;

	private final BeeldzorgProperties.Routing settings;

	ConsultRouting(Router router, Directory directory, BeeldzorgProperties properties) {
		this.router = router;
		this.directory = directory;
		this.settings = properties.routing();
	}

	Mono<RingPlan> plan(CurrentUser user, StartConsultRequest request, Discipline discipline,
			@Nullable Location location, Instant now) {
		String institution = Objects.requireNonNull(user.institutionId());
		if (request.consultantId() != null) {
			return this.directory.practitioner(request.consultantId())
				.filter((p) -> institution.equals(p.institutionId()) && p.discipline() != null
						&& p.discipline().isConsultant() && !p.userId().equals(user.userId()))
				.map(this.router::named)
				.switchIfEmpty(Mono.error(new ApiException(ErrorCode.UNKNOWN_CONSULTANT,
						"No consultant '" + request.consultantId() + "' in your institution", "consultantId",
						FieldErrorCode.UNKNOWN_CONSULTANT)));
		}
		Mono<RingPlan> plan = switch (request.kind()) {
			case ANW ->
				this.router.onCall(Objects.requireNonNull(location).subregion(), discipline, now, user.userId());
			case EXPERT -> expertise(request).flatMap((tag) -> this.router.experts(tag, user.userId()));
			default -> this.directory.routing(institution)
				.flatMap((routing) -> this.router.pool(institution, discipline, routing.steppedCare(), user.userId()));
		};
		return plan.flatMap(
				(found) -> found.isEmpty() ? nobody(institution, request, discipline, location) : Mono.just(found));
	}

	/**
	 * A huisarts's video IMOZ consult rings the present SOs of the region.
	 */
	Mono<RingPlan> imoz(CurrentUser user, Discipline discipline) {
		if (discipline != Discipline.SO) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID, "An IMOZ consult asks an SO",
					"requestedDiscipline", FieldErrorCode.IMOZ_ASKS_SO));
		}
		return this.router.region(Discipline.SO, user.userId())
			.flatMap((plan) -> plan.isEmpty()
					? Mono.error(nobodyFor(ConsultKind.IMOZ, null,
							"No SO of the region is available now; ask in writing with POST /api/v1/imoz/questions"))
					: Mono.just(plan));
	}

	/**
	 * A video IMOZ consult booked ahead: with the SO agreed on, or, without one, with the
	 * region's SOs present when its moment comes (decided then).
	 */
	Mono<RingPlan> scheduledImoz(@Nullable String consultantId) {
		if (consultantId == null) {
			return Mono.just(new RingPlan(java.util.List.of()));
		}
		return this.directory.practitioner(consultantId)
			.filter((p) -> p.discipline() == Discipline.SO)
			.map(this.router::named)
			.switchIfEmpty(Mono.error(new ApiException(ErrorCode.UNKNOWN_CONSULTANT, "No SO '" + consultantId + "'",
					"consultantId", FieldErrorCode.UNKNOWN_CONSULTANT)));
	}

	private Mono<String> expertise(StartConsultRequest request) {
		String tag = request.expertise();
		if (tag == null || !this.settings.expertiseTags().contains(tag)) {
			return Mono.error(new ApiException(ErrorCode.UNKNOWN_EXPERTISE,
					"An EXPERT consult names its expertise, one of " + this.settings.expertiseTags(), "expertise",
					FieldErrorCode.UNKNOWN_EXPERTISE));
		}
		return Mono.just(tag);
	}

	private Mono<RingPlan> nobody(String institution, StartConsultRequest request, Discipline discipline,
			@Nullable Location location) {
		return this.directory.routing(institution).flatMap((routing) -> {
			String who = switch (request.kind()) {
				case ANW -> "Nobody is on the on-call roster for " + discipline + " in subregion "
						+ Objects.requireNonNull(location).subregion() + " now";
				case EXPERT -> "No consultant with expertise '" + request.expertise() + "' is available now";
				default -> "No " + discipline + " of your institution is available now";
			};
			String instead = (routing.fallbackPhone() != null) ? "; call " + routing.fallbackPhone()
					: "; call the on-call doctor by phone";
			return Mono.error(nobodyFor(request.kind(), routing.fallbackPhone(), who + instead));
		});
	}

	/**
	 * Nobody to ring, with what a page needs to say so in its own words: the kind of
	 * consult and the institution's fallback number.
	 */
	private static ApiException nobodyFor(ConsultKind kind, @Nullable String fallbackPhone, String detail) {
		ApiException refusal = new ApiException(ErrorCode.NO_CONSULTANT_AVAILABLE, detail);
		refusal.getBody().setProperty("kind", kind.name());
		if (fallbackPhone != null) {
			refusal.getBody().setProperty("fallbackPhone", fallbackPhone);
		}
		return refusal;
	}

}
