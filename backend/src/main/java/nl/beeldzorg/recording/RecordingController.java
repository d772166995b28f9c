package nl.beeldzorg.recording;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The recording calls of API.md ("Recording", v1.1).
 */
@RestController
@RequestMapping("/api/v1")
class RecordingController {

	/** WEBM as the media server writes it (no transcoding). */
	static final MediaType WEBM = MediaType.parseMediaType("video/webm");

	private final Recordings recordings;

	private final CurrentUsers users;

	RecordingController(Recordings recordings, CurrentUsers users) {
		this.recordings = recordings;
		this.users = users;
	}

	@Operation(summary = "Start recording, only with recorded consent",
			description = "By a party of an ACTIVE consult. The consent (givenBy CLIENT or REPRESENTATIVE, an optional"
					+ " note) is stored before the media server records. 201 {recordingId, startedAt}; a repeat with the"
					+ " same Idempotency-Key answers 200 with the same body. 422 recording.consent-required without"
					+ " consent; 409 consult.invalid-state when not ACTIVE, recording.already-running; 503"
					+ " recording.unavailable when no media server can record (media peer to peer).")
	@PostMapping("/consults/{id}/recording")
	Mono<ResponseEntity<View.Started>> start(@PathVariable UUID id,
			@Valid @RequestBody(required = false) RecordingRequests.@Nullable Start request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128)) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID, "Idempotency-Key must be 1 to 128 characters",
					"Idempotency-Key", FieldErrorCode.INVALID));
		}
		return this.users.current()
			.flatMap((user) -> this.recordings.start(user, id, request, idempotencyKey))
			.map((started) -> {
				URI list = URI.create("/api/v1/consults/" + id + "/recordings");
				return started.created() ? ResponseEntity.created(list).body(started.view())
						: ResponseEntity.ok().location(list).body(started.view());
			});
	}

	@Operation(summary = "Stop the consult's recording",
			description = "By a party. 200 with the stopped recording; 204 when none was running.")
	@DeleteMapping("/consults/{id}/recording")
	Mono<ResponseEntity<View>> stop(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.recordings.stop(user, id))
			.map(ResponseEntity::ok)
			.defaultIfEmpty(ResponseEntity.noContent().build());
	}

	@Operation(summary = "The consult's recordings",
			description = "For its parties and the institution's ADMIN; each read audited (consult.recordings).")
	@GetMapping("/consults/{id}/recordings")
	Mono<List<View>> list(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.recordings.list(user, id));
	}

	@Operation(summary = "A recording's file (video/webm)",
			description = "For the consult's parties and the institution's ADMIN, while kept; each fetch audited."
					+ " Range requests give 206. Others, and deleted or unfinished recordings: 404 recording.not-found.")
	@GetMapping("/recordings/{id}")
	Mono<ResponseEntity<Resource>> file(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.recordings.file(user, id))
			.map((file) -> ResponseEntity.ok()
				.contentType(WEBM)
				.cacheControl(CacheControl.noStore().cachePrivate())
				.header("X-Content-Type-Options", "nosniff")
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"opname-" + file.id() + ".webm\"")
				.body(new FileSystemResource(file.path())));
	}

}
