package nl.beeldzorg.system;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;

/**
 * Renders every error as problem details with a stable {@code code}, including the
 * framework's own (bad JSON, unknown enum value, failed validation, body too large).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

	@Override
	protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		List<Map<String, String>> errors = BsnRefusals.first(ex.getFieldErrors()
			.stream()
			.map((error) -> ApiException.fieldError(error.getField(), FieldCodes.of(error),
					(error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid"))
			.toList());
		String detail = errors.stream()
			.map((error) -> error.get("field") + " " + error.get("message"))
			.sorted()
			.reduce((a, b) -> a + "; " + b)
			.orElse("The request is invalid");
		ErrorCode code = BsnRefusals.codeOf(errors);
		ProblemDetail problem = ApiException.problem(code, detail);
		problem.setProperty("errors", errors);
		return Mono.just(ResponseEntity.status(code.status()).headers(headers).body(problem));
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		ProblemDetail problem = inputProblem(ex);
		return Mono.just(ResponseEntity.status(problem.getStatus()).headers(headers).body(problem));
	}

	@ExceptionHandler(DataBufferLimitException.class)
	Mono<ResponseEntity<Object>> tooLarge(DataBufferLimitException ex) {
		return Mono.just(ResponseEntity.status(ErrorCode.REQUEST_TOO_LARGE.status())
			.body(ApiException.problem(ErrorCode.REQUEST_TOO_LARGE, "The request body is larger than 64 KiB")));
	}

	@ExceptionHandler(RuntimeException.class)
	Mono<ResponseEntity<Object>> unexpected(RuntimeException ex) {
		if (DatabaseOutages.isOutage(ex)) {
			return Mono.just(databaseUnavailable(ex));
		}
		if (ex instanceof reactor.netty.channel.AbortedException) {
			// The connection is gone (a client went away, or a request timed out):
			// nothing
			// failed here, and nobody is left to answer.
			logger.debug("Connection closed while handling a request", ex);
		}
		else {
			logger.error("Unexpected error", ex);
		}
		return Mono.just(ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
			.body(ApiException.problem(ErrorCode.INTERNAL, "The server failed; the request can be retried")));
	}

	/**
	 * The database is away: {@code 503} with {@code Retry-After}, so clients (and the
	 * pages) try again instead of reporting a server failure.
	 * @param ex what the database layer said
	 * @return the answer
	 */
	static ResponseEntity<Object> databaseUnavailable(Throwable ex) {
		logger.warn("Database unavailable: {}", ex.toString());
		return ResponseEntity.status(ErrorCode.DATABASE_UNAVAILABLE.status())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(DatabaseOutages.RETRY_AFTER.toSeconds()))
			.body(ApiException.problem(ErrorCode.DATABASE_UNAVAILABLE,
					"The database cannot be reached just now. Send the same request again (with the same Idempotency-Key) after "
							+ DatabaseOutages.RETRY_AFTER.toSeconds() + " s"));
	}

	/** Adds a {@code code} and a {@code type} to the framework's problem details. */
	@Override
	protected Mono<ResponseEntity<Object>> createResponseEntity(@Nullable Object body, @Nullable HttpHeaders headers,
			HttpStatusCode status, ServerWebExchange exchange) {
		if (body instanceof ProblemDetail problem
				&& (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
			ErrorCode code = codeFor(status);
			problem.setProperty("code", code.code());
			problem.setType(ApiException.typeOf(code.code()));
		}
		return super.createResponseEntity(body, headers, status, exchange);
	}

	private static ErrorCode codeFor(HttpStatusCode status) {
		return switch (status.value()) {
			case 400 -> ErrorCode.REQUEST_INVALID;
			case 401 -> ErrorCode.UNAUTHENTICATED;
			case 403 -> ErrorCode.FORBIDDEN;
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.REQUEST_TOO_LARGE;
			case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
			default -> ErrorCode.INTERNAL;
		};
	}

	private static ProblemDetail inputProblem(ServerWebInputException ex) {
		Throwable cause = ex;
		while (cause != null) {
			if (cause instanceof DataBufferLimitException) {
				return ApiException.problem(ErrorCode.REQUEST_TOO_LARGE, "The request body is larger than 64 KiB");
			}
			if (cause instanceof InvalidFormatException invalid) {
				return fieldProblem(invalid, FieldErrorCode.NOT_ALLOWED, "'" + invalid.getValue()
						+ "' is not an allowed value" + allowedValues(invalid.getTargetType()));
			}
			if (cause instanceof MismatchedInputException mismatched) {
				return fieldProblem(mismatched, FieldErrorCode.WRONG_TYPE, "has the wrong type or is missing");
			}
			if (cause instanceof DatabindException) {
				break;
			}
			cause = cause.getCause();
		}
		if (ex.getMethodParameter() != null && !ex.getMethodParameter().hasParameterAnnotations()) {
			return ApiException.problem(ErrorCode.REQUEST_INVALID,
					ex.getReason() != null ? ex.getReason() : "Invalid request");
		}
		String reason = ex.getReason();
		if (reason != null && reason.startsWith("No request body")) {
			return ApiException.problem(ErrorCode.REQUEST_MALFORMED, "The request needs a JSON body");
		}
		if (reason != null && !reason.contains("Failed to read HTTP message")) {
			return ApiException.problem(ErrorCode.REQUEST_INVALID, reason);
		}
		return ApiException.problem(ErrorCode.REQUEST_MALFORMED, "The body is not valid JSON");
	}

	private static ProblemDetail fieldProblem(DatabindException ex, FieldErrorCode code, String message) {
		String field = ex.getPath()
			.stream()
			.map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.reduce((a, b) -> a + "." + b)
			.orElse("body");
		ProblemDetail problem = ApiException.problem(ErrorCode.REQUEST_INVALID, field + " " + message);
		problem.setProperty("errors", List.of(ApiException.fieldError(field, code, message)));
		return problem;
	}

	private static String allowedValues(@Nullable Class<?> type) {
		if (type == null || !type.isEnum()) {
			return "";
		}
		StringBuilder values = new StringBuilder();
		for (Object constant : type.getEnumConstants()) {
			values.append((values.length() == 0) ? "" : ", ").append(constant);
		}
		return " (one of " + values + ")";
	}

}
