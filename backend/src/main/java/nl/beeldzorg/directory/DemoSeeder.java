package nl.beeldzorg.directory;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;

import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Fills an empty demo database with the demo institutions, locations and users, so a
 * consult can ring somebody on first start.
 */
@Component
@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
class DemoSeeder implements ApplicationRunner {

	private final Directory directory;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final Subregions subregions;

	DemoSeeder(Directory directory, Subregions subregions, DatabaseScheduler scheduler, Clock clock) {
		this.directory = directory;
		this.subregions = subregions;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	@Override
	public void run(ApplicationArguments args) {
		seed().block();
	}

	Mono<Void> seed() {
		Mono<Void> institutions = Flux.fromIterable(DemoDirectory.INSTITUTIONS)
			.concatMap(
					(institution) -> this.directory.hasInstitution(institution.id())
						.flatMap((present) -> present ? Mono.empty() : this.directory.insertInstitution(institution)
							.thenMany(Flux.fromIterable(DemoDirectory.LOCATIONS)
								.filter((location) -> location.institutionId().equals(institution.id()))
								.concatMap(this.directory::insertLocation))
							.then(this.directory.updateRouting(institution.id(), institution.fallbackPhone(),
									"Bel de dienstdoende arts via de huisartsenpost; bij levensgevaar 112.", false))))
			.then();
		Mono<Void> users = Flux.fromIterable(DemoDirectory.USERS)
			.concatMap((user) -> this.directory.upsert(asCurrentUser(user), this.clock.instant()))
			.then();
		Mono<Void> subregions = Flux.fromIterable(DemoDirectory.SUBREGIONS)
			.concatMap((subregion) -> this.subregions.exists(subregion.id())
				.flatMap((present) -> present ? Mono.empty()
						: this.subregions.put(subregion, "demo", this.clock.instant())))
			.then();
		return this.scheduler.run(subregions.then(institutions).then(users).then(Mono.defer(this::travel)));
	}

	/** Bases and travel times, once: on the first start the base table is empty. */
	private Mono<Void> travel() {
		LocalDate from = LocalDate.of(2020, 1, 1);
		Mono<Void> bases = Flux.fromIterable(DemoDirectory.BASES)
			.concatMap((base) -> this.directory.insertBase(DemoDirectory.user(base.username()).orElseThrow().userId(),
					base.locationId(), from))
			.then();
		Mono<Void> trips = Flux.fromIterable(DemoDirectory.TRIPS)
			.concatMap((trip) -> this.directory.insertTrip(trip.from(), trip.to(), trip.minutes(), from))
			.then();
		return this.directory.hasBases().flatMap((present) -> present ? Mono.empty() : bases.then(trips));
	}

	private static CurrentUser asCurrentUser(DemoUser user) {
		return new CurrentUser(user.userId(), user.name(), user.discipline(), user.institution(), user.practice(),
				Set.copyOf(user.roles()));
	}

}
