package nl.beeldzorg.directory;

import java.time.Clock;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import nl.beeldzorg.system.PlainName;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's institution's care locations, and the region's subregions.
 */
@RestController
@RequestMapping("/api/v1")
class DirectoryController {

	private final Directory directory;

	private final Subregions subregions;

	private final CurrentUsers users;

	private final Clock clock;

	DirectoryController(Directory directory, Subregions subregions, CurrentUsers users, Clock clock) {
		this.directory = directory;
		this.subregions = subregions;
		this.users = users;
		this.clock = clock;
	}

	/**
	 * The caller's institution's locations; for glasses an ADMIN paired with some of them
	 * ({@code ?glasses=} the app's device id), only those.
	 */
	@GetMapping("/locations")
	Flux<Location> locations(@RequestParam(name = "glasses", required = false) @Nullable String glasses) {
		return this.users.current().flatMapMany((user) -> {
			String institution = user.institutionId();
			if (institution == null) {
				return Flux.empty();
			}
			if (glasses == null || glasses.isBlank()) {
				return this.directory.locations(institution);
			}
			return this.directory.pairedLocations(institution, glasses)
				.switchIfEmpty(this.directory.locations(institution));
		});
	}

	/**
	 * Whether the caller's institution paired these glasses: unpaired glasses show their
	 * device id (and its QR code) for an ADMIN to pair them. Another institution's
	 * pairing reads as unpaired.
	 */
	@GetMapping("/glasses/pairing")
	Mono<GlassesPairing> glassesPairing(@RequestParam(name = "deviceId") String deviceId) {
		if (!deviceId.matches("[A-Za-z0-9][A-Za-z0-9-]{7,63}")) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"a device id is 8 to 64 letters, digits and dashes, as the glasses app shows it", "deviceId",
					FieldErrorCode.FORMAT));
		}
		return this.users.current().flatMap((user) -> {
			String institution = user.institutionId();
			if (institution == null) {
				return Mono.just(new GlassesPairing(deviceId, false, null));
			}
			return this.directory.pairingName(institution, deviceId)
				.map((name) -> new GlassesPairing(deviceId, true, name))
				.defaultIfEmpty(new GlassesPairing(deviceId, false, null));
		});
	}

	/**
	 * @param deviceId the glasses app's device id
	 * @param paired whether the caller's institution paired them
	 * @param name as the ward knows them, when paired
	 */
	record GlassesPairing(String deviceId, boolean paired, @Nullable String name) {
	}

	/** The subregions a location can be in (an ADMIN's forms offer these). */
	@GetMapping("/subregions")
	Flux<Subregions.Subregion> subregions() {
		return this.users.current().flatMapMany((user) -> this.subregions.all());
	}

	/**
	 * Adds or renames a subregion: the programme office's, since every institution's
	 * locations and rosters rest on the list.
	 */
	@PutMapping("/programme/subregions/{id}")
	Mono<Subregions.Subregion> putSubregion(@PathVariable String id, @Valid @RequestBody SubregionRequest request) {
		if (!id.matches("[a-z0-9][a-z0-9-]{1,99}")) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"subregion id '" + id + "' must be 2 to 100 lower-case letters, digits and dashes", "id",
					FieldErrorCode.FORMAT));
		}
		Subregions.Subregion subregion = new Subregions.Subregion(id, request.name());
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.PROGRAMME))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN,
					"Only the programme office keeps the region's subregions")))
			.flatMap((user) -> this.subregions.put(subregion, user.userId(), this.clock.instant()))
			.thenReturn(subregion);
	}

	/**
	 * @param name as people know it, e.g. Apeldoorn-Noord
	 */
	record SubregionRequest(@NotBlank @Size(max = 200) @PlainName String name) {
	}

}
