package nl.beeldzorg.consult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.JoinTokens;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.IceServers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Renders consults for a caller: who rings, names of the people involved, and a fresh
 * join token for a party while the consult can still be joined.
 */
@Component
class ConsultViews {

	private static final ConsultView.Fallback NO_FALLBACK = new ConsultView.Fallback(null, null);

	private static final ImozFacts NOT_IMOZ = new ImozFacts(null, null);

	static final String SIGNALLING_PATH = "/ws/signalling";

	private final ConsultRepository consults;

	private final Directory directory;

	private final JoinTokens joinTokens;

	private final IceServers iceServers;

	private final DatabaseScheduler scheduler;

	ConsultViews(ConsultRepository consults, Directory directory, JoinTokens joinTokens, IceServers iceServers,
			DatabaseScheduler scheduler) {
		this.consults = consults;
		this.directory = directory;
		this.joinTokens = joinTokens;
		this.iceServers = iceServers;
		this.scheduler = scheduler;
	}

	Mono<ConsultView> view(Consult consult, CurrentUser caller) {
		return this.scheduler
			.run(this.consults.rings(consult.id())
				.collectList()
				.zipWith(this.consults.invitees(consult.id()).collectList())
				.zipWith(imozFacts(consult)))
			.flatMap((all) -> {
				var found = all.getT1();
				ImozFacts imoz = all.getT2();
				List<Ring> rings = found.getT1();
				boolean invited = found.getT2().contains(caller.userId());
				Set<String> people = new LinkedHashSet<>();
				if (imoz.bookedWith() != null) {
					people.add(imoz.bookedWith().userId());
				}
				people.add(consult.requestedBy());
				if (consult.consultantId() != null) {
					people.add(consult.consultantId());
				}
				rings.forEach((ring) -> people.add(ring.userId()));
				Mono<ConsultView.Fallback> fallback = (consult.state() == ConsultState.MISSED
						&& consult.institutionId() != null)
								? this.directory.routing(consult.institutionId())
									.map((routing) -> new ConsultView.Fallback(routing.fallbackPhone(),
											routing.fallbackInstructions()))
								: Mono.just(NO_FALLBACK);
				return this.directory.names(people)
					.zipWith(fallback)
					.map((named) -> render(consult, rings, named.getT1(), caller, invited,
							(named.getT2() == NO_FALLBACK) ? null : named.getT2(), imoz));
			});
	}

	private ConsultView render(Consult consult, List<Ring> rings, Map<String, String> names, CurrentUser caller,
			boolean invited, ConsultView.@Nullable Fallback fallback, ImozFacts imoz) {
		List<ConsultView.Party> ringing = new ArrayList<>();
		if (consult.state() == ConsultState.RINGING) {
			for (Ring ring : rings) {
				if (ring.state() == Ring.RingState.RINGING) {
					ringing.add(new ConsultView.Party(ring.userId(), ring.discipline(), names.get(ring.userId())));
				}
			}
		}
		ConsultView.Party consultant = (consult.consultantId() != null) ? new ConsultView.Party(consult.consultantId(),
				consult.consultantDiscipline(), names.get(consult.consultantId())) : null;
		return new ConsultView(consult.id(), consult.kind(), consult.state(), consult.institutionId(),
				consult.locationId(), consult.clientRef(), consult.question(), consult.urgency(),
				consult.requestedDiscipline(),
				new ConsultView.Party(consult.requestedBy(), consult.requestedByDiscipline(),
						names.get(consult.requestedBy())),
				ringing, consultant, consult.createdAt(), consult.acceptedAt(), consult.connectedAt(),
				consult.endedAt(), join(consult, caller, invited), consult.expertise(),
				(consult.state() == ConsultState.RINGING) ? consult.ringDeadline() : null, fallback,
				consult.scheduledAt(), imoz.homeArea(),
				(imoz.bookedWith() != null) ? new ConsultView.Party(imoz.bookedWith().userId(),
						imoz.bookedWith().discipline(), names.get(imoz.bookedWith().userId())) : null);
	}

	/**
	 * An IMOZ consult's postcode area (the ringing card shows it instead of a location),
	 * and while booked the SO it will ring (the booking cards name her).
	 */
	private Mono<ImozFacts> imozFacts(Consult consult) {
		if (consult.kind() != ConsultKind.IMOZ) {
			return Mono.just(NOT_IMOZ);
		}
		Mono<java.util.Optional<Ring>> booked = (consult.state() == ConsultState.SCHEDULED)
				? this.consults.plannedStage(consult.id(), 0).next().map(java.util.Optional::of) : Mono.empty();
		return this.consults.homeArea(consult.id())
			.map(java.util.Optional::of)
			.defaultIfEmpty(java.util.Optional.empty())
			.zipWith(booked.defaultIfEmpty(java.util.Optional.empty()))
			.map((both) -> new ImozFacts(both.getT1().orElse(null), both.getT2().orElse(null)));
	}

	private record ImozFacts(@Nullable String homeArea, @Nullable Ring bookedWith) {
	}

	private ConsultView.@Nullable Join join(Consult consult, CurrentUser caller, boolean invited) {
		if (consult.state().isFinal() || consult.state() == ConsultState.SCHEDULED
				|| !(consult.isParty(caller.userId()) || invited)) {
			return null;
		}
		return new ConsultView.Join(this.joinTokens.issue(consult.id(), caller), SIGNALLING_PATH,
				this.iceServers.forUser(caller.userId()));
	}

}
