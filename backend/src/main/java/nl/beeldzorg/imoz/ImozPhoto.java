package nl.beeldzorg.imoz;

import java.time.Instant;
import java.util.UUID;

/**
 * A photo with a written IMOZ question, without its bytes.
 *
 * @param id id
 * @param questionId the question
 * @param contentType image/jpeg or image/png
 * @param size bytes
 * @param sha256 hex SHA-256 of the bytes (a retried upload finds the same photo)
 * @param uploadedBy the huisarts
 * @param createdAt added at
 */
record ImozPhoto(UUID id, UUID questionId, String contentType, int size, String sha256, String uploadedBy,
		Instant createdAt) {

	/**
	 * What a client reads of a photo: where to fetch it and how to check it.
	 *
	 * @param id id
	 * @param contentType image/jpeg or image/png
	 * @param size bytes
	 * @param sha256 hex SHA-256 of the bytes
	 * @param createdAt added at
	 * @param href where its bytes are
	 */
	record View(UUID id, String contentType, int size, String sha256, Instant createdAt, String href) {
	}

	View view() {
		return new View(this.id, this.contentType, this.size, this.sha256, this.createdAt,
				"/api/v1/imoz/questions/" + this.questionId + "/photos/" + this.id);
	}

}
