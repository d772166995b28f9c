package nl.beeldzorg.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A refusal with a stable code, rendered as RFC 9457 problem details.
 */
public class ApiException extends ErrorResponseException {

	private final ErrorCode errorCode;

	/**
	 * @param errorCode what went wrong
	 * @param detail an explanation for this occurrence
	 */
	public ApiException(ErrorCode errorCode, String detail) {
		super(errorCode.status(), problem(errorCode, detail), null);
		this.errorCode = errorCode;
	}

	/**
	 * A refusal of one field's value: the problem's {@code errors} names the field and
	 * its own code, so a page can say what is wrong next to that field.
	 * @param errorCode what went wrong, as a whole
	 * @param detail an explanation for this occurrence
	 * @param field the field concerned, as named in the request ({@code clientRef})
	 * @param fieldCode what is wrong with it
	 */
	public ApiException(ErrorCode errorCode, String detail, String field, FieldErrorCode fieldCode) {
		this(errorCode, detail);
		getBody().setProperty("errors", List.of(fieldError(field, fieldCode, detail)));
	}

	/**
	 * @return the code
	 */
	public ErrorCode errorCode() {
		return this.errorCode;
	}

	/**
	 * Builds the problem details of a code.
	 * @param errorCode the code
	 * @param detail the explanation
	 * @return problem details with {@code type}, {@code title}, {@code status},
	 * {@code detail} and {@code code}
	 */
	public static ProblemDetail problem(ErrorCode errorCode, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(errorCode.status(), detail);
		problem.setType(typeOf(errorCode.code()));
		problem.setTitle(errorCode.title());
		problem.setProperty("code", errorCode.code());
		return problem;
	}

	/**
	 * One item of a problem's {@code errors}.
	 * @param field the field concerned
	 * @param code what is wrong with it
	 * @param message an explanation in English (pages show their own words per code)
	 * @return {@code field}, {@code code} and {@code message}
	 */
	public static Map<String, String> fieldError(String field, FieldErrorCode code, String message) {
		Map<String, String> error = new LinkedHashMap<>();
		error.put("field", field);
		error.put("code", code.code());
		error.put("message", message);
		return error;
	}

	static URI typeOf(String code) {
		return URI.create("urn:beeldzorg:problem:" + code);
	}

}
