package nl.beeldzorg.system;

import org.springframework.http.HttpStatus;

/**
 * The stable machine codes of problem details. Clients switch on {@link #code()}; never
 * rename one.
 */
public enum ErrorCode {

	/** The body is not JSON, or not the expected shape. */
	REQUEST_MALFORMED("request.malformed", HttpStatus.BAD_REQUEST, "Malformed request"),

	/** A field is missing, too long, or not one of the allowed values. */
	REQUEST_INVALID("request.invalid", HttpStatus.BAD_REQUEST, "Invalid request"),

	/** The body is larger than allowed. */
	REQUEST_TOO_LARGE("request.too-large", HttpStatus.CONTENT_TOO_LARGE, "Request too large"),

	/**
	 * The request (its head or its body) came too slowly; the connection is closed
	 * ({@code beeldzorg.connections.*}).
	 */
	REQUEST_TIMEOUT("request.timeout", HttpStatus.REQUEST_TIMEOUT, "Request timeout"),

	/** The same Idempotency-Key was used for a different request. */
	IDEMPOTENCY_KEY_REUSED("request.idempotency-key-reused", HttpStatus.UNPROCESSABLE_CONTENT,
			"Idempotency key reused"),

	/** The media type is not supported. */
	UNSUPPORTED_MEDIA_TYPE("request.unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
			"Unsupported media type"),

	/** No such resource (or not visible to the caller). */
	NOT_FOUND("request.not-found", HttpStatus.NOT_FOUND, "Not found"),

	/** The method is not allowed on this resource. */
	METHOD_NOT_ALLOWED("request.method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	/** No or bad access token. */
	UNAUTHENTICATED("auth.unauthenticated", HttpStatus.UNAUTHORIZED, "Not signed in"),

	/** The token is fine but the caller may not do this. */
	FORBIDDEN("auth.forbidden", HttpStatus.FORBIDDEN, "Not allowed"),

	/** The access token lacks a claim the API needs. */
	MISSING_CLAIM("auth.missing-claim", HttpStatus.FORBIDDEN, "Access token lacks a claim"),

	/** The consult does not exist or the caller may not see it. */
	CONSULT_NOT_FOUND("consult.not-found", HttpStatus.NOT_FOUND, "Consult not found"),

	/** Somebody else accepted first. */
	CONSULT_ALREADY_ACCEPTED("consult.already-accepted", HttpStatus.CONFLICT, "Consult already accepted"),

	/** The consult is not in a state that allows this. */
	CONSULT_INVALID_STATE("consult.invalid-state", HttpStatus.CONFLICT, "Not possible in this state"),

	/** The consult does not ring for the caller. */
	CONSULT_NOT_RINGING_FOR_YOU("consult.not-ringing-for-you", HttpStatus.FORBIDDEN,
			"This consult does not ring for you"),

	/** Only a party to the consult may do this. */
	CONSULT_NOT_A_PARTY("consult.not-a-party", HttpStatus.FORBIDDEN, "Only a party to the consult may do this"),

	/**
	 * The invitee has no place in this consult's care team (another institution or
	 * practice, the programme office, not yet known whose institution it is).
	 */
	CONSULT_INVITEE_NOT_ALLOWED("consult.invitee-not-allowed", HttpStatus.FORBIDDEN,
			"This person may not be invited into this consult"),

	/** No glasses are paired with the consult's location: nothing to call back. */
	CONSULT_NO_PAIRED_GLASSES("consult.no-paired-glasses", HttpStatus.UNPROCESSABLE_CONTENT,
			"No glasses paired with the consult's location"),

	/** The client reference looks like a BSN. */
	CLIENT_REF_LOOKS_LIKE_BSN("consult.client-ref-looks-like-bsn", HttpStatus.UNPROCESSABLE_CONTENT,
			"Client reference looks like a BSN"),

	/**
	 * A free-text field (a question, an answer, a name) holds a BSN; nothing is stored.
	 */
	TEXT_CONTAINS_BSN("privacy.text-contains-bsn", HttpStatus.UNPROCESSABLE_CONTENT, "Text contains a BSN"),

	/** The location is not one of the caller's institution. */
	UNKNOWN_LOCATION("consult.unknown-location", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown location"),

	/** The named consultant is not a consultant the caller can ask. */
	UNKNOWN_CONSULTANT("consult.unknown-consultant", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown consultant"),

	/** Nobody to ring. */
	NO_CONSULTANT_AVAILABLE("consult.no-consultant-available", HttpStatus.UNPROCESSABLE_CONTENT,
			"No consultant available"),

	/** The caller's discipline may not start this kind of consult. */
	KIND_NOT_ALLOWED("consult.kind-not-allowed", HttpStatus.FORBIDDEN, "Not allowed to start this kind of consult"),

	/** Only the consultant who took the consult records its outcome. */
	OUTCOME_NOT_THE_CONSULTANT("outcome.not-the-consultant", HttpStatus.FORBIDDEN,
			"Only the consultant records the outcome"),

	/** The outcome can no longer be corrected. */
	OUTCOME_CORRECTION_CLOSED("outcome.correction-window-closed", HttpStatus.CONFLICT,
			"Outcome can no longer be corrected"),

	/**
	 * A setting for that date (or that id) exists with other values; versions are
	 * immutable.
	 */
	SETTINGS_CONFLICT("settings.conflict", HttpStatus.CONFLICT, "Setting exists with other values"),

	/** A CSV import has bad lines; nothing was imported. */
	IMPORT_INVALID("import.invalid", HttpStatus.BAD_REQUEST, "Import refused"),

	/** Two shifts of the same role overlap in a subregion's roster. */
	ROSTER_OVERLAP("roster.overlap", HttpStatus.CONFLICT, "Overlapping on-call shifts"),

	/** A roster for a subregion where the admin's institution has no location. */
	ROSTER_UNKNOWN_SUBREGION("roster.unknown-subregion", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown subregion"),

	/**
	 * Somebody who is not one of the ADMIN's own institution's consultants of the shift's
	 * discipline (whether unknown, of another institution or of another profession).
	 */
	ROSTER_UNKNOWN_CONSULTANT("roster.unknown-consultant", HttpStatus.UNPROCESSABLE_CONTENT,
			"Not a consultant of your institution for this discipline"),

	/**
	 * A location id that is neither one of the caller's institution's locations nor free
	 * in its namespace; said alike whether or not another institution has that id.
	 */
	LOCATION_ID_OUTSIDE_NAMESPACE("settings.location-id-outside-namespace", HttpStatus.UNPROCESSABLE_CONTENT,
			"Location id outside your institution's namespace"),

	/** A subregion that is not on the programme office's list. */
	UNKNOWN_SUBREGION("settings.unknown-subregion", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown subregion"),

	/**
	 * A travel time with an end that is not one of the caller's institution's locations.
	 */
	TRAVEL_OUTSIDE_INSTITUTION("settings.travel-outside-institution", HttpStatus.UNPROCESSABLE_CONTENT,
			"Travel time outside your institution"),

	/** Glasses are paired only with locations of the ADMIN's own institution. */
	GLASSES_LOCATION_OUTSIDE_INSTITUTION("settings.glasses-location-outside-institution",
			HttpStatus.UNPROCESSABLE_CONTENT, "Glasses location outside your institution"),

	/**
	 * The glasses are paired with another institution, which has to unpair them first.
	 */
	GLASSES_PAIRED_ELSEWHERE("settings.glasses-paired-elsewhere", HttpStatus.CONFLICT,
			"Glasses paired with another institution"),

	/** An expertise tag that is not configured. */
	UNKNOWN_EXPERTISE("routing.unknown-expertise", HttpStatus.UNPROCESSABLE_CONTENT, "Unknown expertise"),

	/** Only consultants have availability. */
	NOT_A_CONSULTANT("routing.not-a-consultant", HttpStatus.FORBIDDEN, "Only consultants can do this"),

	/** A push endpoint outside the allow-listed push services. */
	PUSH_ENDPOINT_NOT_ALLOWED("push.endpoint-not-allowed", HttpStatus.UNPROCESSABLE_CONTENT,
			"Push service not allowed"),

	/** A written IMOZ question already carries the most photos it may. */
	IMOZ_PHOTO_LIMIT("imoz.photo-limit", HttpStatus.CONFLICT, "Too many photos"),

	/**
	 * An uploaded photo is not a whole JPEG or PNG of its declared type: renamed,
	 * truncated, or with other bytes glued behind it.
	 */
	PHOTO_NOT_AN_IMAGE("imoz.photo-not-an-image", HttpStatus.UNPROCESSABLE_CONTENT, "Not a whole image"),

	/** Recording starts only with recorded consent (who gave it). */
	RECORDING_CONSENT_REQUIRED("recording.consent-required", HttpStatus.UNPROCESSABLE_CONTENT,
			"Recording needs consent"),

	/** The consult is being recorded already. */
	RECORDING_ALREADY_RUNNING("recording.already-running", HttpStatus.CONFLICT, "Already recording"),

	/** No media server can record now (media peer to peer, or none reachable). */
	RECORDING_UNAVAILABLE("recording.unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Recording unavailable"),

	/**
	 * No recording with this id that the caller may fetch (unknown, other's, deleted).
	 */
	RECORDING_NOT_FOUND("recording.not-found", HttpStatus.NOT_FOUND, "Recording not found"),

	/**
	 * The database cannot be reached just now (down, restarting, no connection in time):
	 * send the same request again after the {@code Retry-After} seconds.
	 */
	DATABASE_UNAVAILABLE("service.database-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable"),

	/** Something failed on the server. */
	INTERNAL("server.internal", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	private final String code;

	private final HttpStatus status;

	private final String title;

	ErrorCode(String code, HttpStatus status, String title) {
		this.code = code;
		this.status = status;
		this.title = title;
	}

	/**
	 * @return the stable code, e.g. {@code consult.already-accepted}
	 */
	public String code() {
		return this.code;
	}

	/**
	 * @return the HTTP status
	 */
	public HttpStatus status() {
		return this.status;
	}

	/**
	 * @return a short human-readable summary
	 */
	public String title() {
		return this.title;
	}

}
