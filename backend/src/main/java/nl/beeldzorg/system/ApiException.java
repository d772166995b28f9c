package nl.beeldzorg.system;

import java.net.URI;

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

	static URI typeOf(String code) {
		return URI.create("urn:beeldzorg:problem:" + code);
	}

}
