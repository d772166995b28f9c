package nl.beeldzorg.imoz;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Renders written IMOZ questions as the API shows them: with their photos and the names
 * of the huisarts who asked and the SO who took and answered (so a huisarts sees who
 * answered, an SO who asked).
 */
@Component
class ImozViews {

	private final ImozRepository questions;

	private final Directory directory;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	ImozViews(ImozRepository questions, Directory directory, DatabaseScheduler scheduler, Clock clock) {
		this.questions = questions;
		this.directory = directory;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	Mono<ImozController.View> view(ImozQuestion q) {
		return views(List.of(q)).next();
	}

	/** Several questions with one query for their photos and one for the names. */
	Flux<ImozController.View> views(List<ImozQuestion> qs) {
		if (qs.isEmpty()) {
			return Flux.empty();
		}
		Set<String> people = new LinkedHashSet<>();
		qs.forEach((q) -> {
			people.add(q.askedBy());
			if (q.claimedBy() != null) {
				people.add(q.claimedBy());
			}
		});
		return photosOf(qs.stream().map(ImozQuestion::id).toList()).zipWith(this.directory.names(people))
			.flatMapMany((found) -> Flux.fromIterable(qs)
				.map((q) -> render(q, found.getT1().getOrDefault(q.id(), List.of()), found.getT2())));
	}

	private Mono<Map<UUID, List<ImozPhoto>>> photosOf(Collection<UUID> questionIds) {
		return this.scheduler.run(this.questions.photosOf(questionIds).collectList())
			.map((photos) -> photos.stream()
				.collect(Collectors.groupingBy(ImozPhoto::questionId, LinkedHashMap::new, Collectors.toList())));
	}

	private ImozController.View render(ImozQuestion q, List<ImozPhoto> photos, Map<String, String> names) {
		String claimedBy = q.claimedBy();
		String so = (claimedBy != null) ? names.get(claimedBy) : null;
		ImozController.Person claimant = (claimedBy != null) ? new ImozController.Person(claimedBy, so) : null;
		return new ImozController.View(q.id(), q.state(), q.practiceId(), q.askedBy(), q.clientRef(), q.homeArea(),
				q.question(), q.createdAt(), q.dueAt(), q.overdue(this.clock.instant()), claimedBy, q.answer(),
				q.answeredAt(), q.billingCode(), photos.stream().map(ImozPhoto::view).toList(), names.get(q.askedBy()),
				claimant, q.claimedAt(), (q.state() == ImozQuestion.State.ANSWERED) ? claimant : null);
	}

}
