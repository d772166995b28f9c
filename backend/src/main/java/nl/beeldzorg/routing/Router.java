package nl.beeldzorg.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.directory.Directory.Practitioner;
import nl.beeldzorg.security.Discipline;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Decides who rings, as a plan of stages: stage 0 rings at once, each next stage when the
 * previous one's ring timeout passed unanswered. Pool routing rings the present
 * consultants (available and reachable); the ANW roster rings who is on call, present or
 * not (on call is a commitment, and a push wakes a locked phone).
 */
@Component
public class Router {

	private final Directory directory;

	private final Availability availability;

	private final Presence presence;

	private final OnCallRoster roster;

	private final Expertise expertise;

	Router(Directory directory, Availability availability, Presence presence, OnCallRoster roster,
			Expertise expertise) {
		this.directory = directory;
		this.availability = availability;
		this.presence = presence;
		this.roster = roster;
		this.expertise = expertise;
	}

	/**
	 * One named consultant, whether or not they marked themselves available.
	 * @param consultant the consultant
	 * @return the plan
	 */
	public RingPlan named(Practitioner consultant) {
		return new RingPlan(List.of(List.of(candidate(consultant))));
	}

	/**
	 * The institution's present consultants of a discipline; with stepped care for an SO,
	 * its present VS and PA first.
	 * @param institutionId the institution
	 * @param discipline the discipline asked for
	 * @param steppedCare whether the institution rings a VS or PA before the SO
	 * @param requester who asks (never rung)
	 * @return the plan, empty when nobody is present
	 */
	public Mono<RingPlan> pool(String institutionId, Discipline discipline, boolean steppedCare, String requester) {
		if (steppedCare && discipline == Discipline.SO) {
			return Flux
				.concat(present(institutionId, List.of(Discipline.VS, Discipline.PA), requester),
						present(institutionId, List.of(Discipline.SO), requester))
				.filter((stage) -> !stage.isEmpty())
				.collectList()
				.map(RingPlan::new);
		}
		return present(institutionId, List.of(discipline), requester)
			.map((stage) -> new RingPlan(stage.isEmpty() ? List.of() : List.of(stage)));
	}

	/**
	 * The on-call roster of a subregion at a moment: primaries, then backups.
	 * @param subregion the location's subregion
	 * @param discipline the discipline asked for
	 * @param at the moment
	 * @param requester who asks (never rung)
	 * @return the plan, empty when nobody is on the roster then
	 */
	public Mono<RingPlan> onCall(String subregion, Discipline discipline, Instant at, String requester) {
		return this.roster.at(subregion, discipline, at)
			.filter((shift) -> !shift.consultantId().equals(requester))
			.collectList()
			.map((shifts) -> {
				List<List<Candidate>> stages = new ArrayList<>();
				for (OnCallRoster.Role role : OnCallRoster.Role.values()) {
					List<Candidate> stage = shifts.stream()
						.filter((shift) -> shift.role() == role)
						.map((shift) -> new Candidate(shift.consultantId(), shift.discipline()))
						.distinct()
						.toList();
					if (!stage.isEmpty()) {
						stages.add(stage);
					}
				}
				return new RingPlan(stages);
			});
	}

	/**
	 * The present consultants carrying an expertise, in any institution of the region.
	 * @param tag the expertise
	 * @param requester who asks (never rung)
	 * @return the plan, empty when nobody is present
	 */
	public Mono<RingPlan> experts(String tag, String requester) {
		return this.expertise.carriedBy(tag)
			.filter((user) -> !user.equals(requester))
			.concatMap(this.directory::practitioner)
			.filter((p) -> p.discipline() != null && p.discipline().isConsultant())
			.collectList()
			.flatMap(this::presentOnly)
			.map((stage) -> new RingPlan(stage.isEmpty() ? List.of() : List.of(stage)));
	}

	/**
	 * The present consultants of a discipline in every institution of the region (a
	 * huisarts's IMOZ consult).
	 * @param discipline the discipline
	 * @param requester who asks (never rung)
	 * @return the plan, empty when nobody is present
	 */
	public Mono<RingPlan> region(Discipline discipline, String requester) {
		return this.directory.ofDiscipline(discipline)
			.filter((p) -> !p.userId().equals(requester))
			.collectList()
			.flatMap(this::presentOnly)
			.map((stage) -> new RingPlan(stage.isEmpty() ? List.of() : List.of(stage)));
	}

	private Mono<List<Candidate>> present(String institutionId, List<Discipline> disciplines, String requester) {
		return Flux.fromIterable(disciplines)
			.concatMap((discipline) -> this.directory.consultants(institutionId, discipline))
			.filter((p) -> !p.userId().equals(requester))
			.collectList()
			.flatMap(this::presentOnly);
	}

	private Mono<List<Candidate>> presentOnly(List<Practitioner> practitioners) {
		List<String> ids = practitioners.stream().map(Practitioner::userId).toList();
		return this.availability.available(ids)
			.zipWith(this.presence.reachable(ids))
			.map((both) -> present(practitioners, both.getT1(), both.getT2()));
	}

	private static List<Candidate> present(List<Practitioner> practitioners, Set<String> available,
			Set<String> reachable) {
		return practitioners.stream()
			.filter((p) -> available.contains(p.userId()) && reachable.contains(p.userId()))
			.map(Router::candidate)
			.toList();
	}

	private static Candidate candidate(Practitioner practitioner) {
		return new Candidate(practitioner.userId(), Objects.requireNonNull(practitioner.discipline()));
	}

	/**
	 * A consultant to ring.
	 *
	 * @param userId the consultant
	 * @param discipline their discipline
	 */
	public record Candidate(String userId, Discipline discipline) {
	}

	/**
	 * Who rings, stage by stage.
	 *
	 * @param stages the stages; the first rings at once
	 */
	public record RingPlan(List<List<Candidate>> stages) {

		/**
		 * @return whether nobody would ring
		 */
		public boolean isEmpty() {
			return this.stages.isEmpty();
		}

	}

}
