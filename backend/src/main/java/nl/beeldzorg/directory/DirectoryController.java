package nl.beeldzorg.directory;

import nl.beeldzorg.security.CurrentUsers;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's institution's care locations.
 */
@RestController
@RequestMapping("/api/v1")
class DirectoryController {

	private final Directory directory;

	private final CurrentUsers users;

	DirectoryController(Directory directory, CurrentUsers users) {
		this.directory = directory;
		this.users = users;
	}

	@GetMapping("/locations")
	Flux<Location> locations() {
		return this.users.current()
			.flatMapMany((user) -> (user.institutionId() != null) ? this.directory.locations(user.institutionId())
					: Flux.empty());
	}

}
