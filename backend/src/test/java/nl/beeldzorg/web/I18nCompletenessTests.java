package nl.beeldzorg.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.signalling.SignallingError;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' dictionary has Dutch and English words for every code the server can refuse
 * with (problem details, their field errors, signalling errors) and for every discipline
 * and role, so no page ever falls back on the server's English detail or on a code.
 */
class I18nCompletenessTests {

	private static final Pattern KEY = Pattern.compile("^\\s*\"([^\"]+)\"\\s*:", Pattern.MULTILINE);

	@Test
	void everyErrorCodeFieldCodeAndSignallingErrorHasDutchAndEnglishWords() throws IOException {
		Set<String> needed = new TreeSet<>();
		for (ErrorCode code : ErrorCode.values()) {
			needed.add("problem." + code.code());
		}
		for (FieldErrorCode code : FieldErrorCode.values()) {
			needed.add("problem." + code.code());
		}
		for (SignallingError error : SignallingError.values()) {
			needed.add("problem." + error.code());
		}
		assertThat(needed).hasSizeGreaterThan(50);
		String source = dictionary();
		assertThat(keys(source, "nl")).containsAll(needed);
		assertThat(keys(source, "en")).containsAll(needed);
	}

	@Test
	void everyDisciplineAndRoleHasAWordInBothLanguages() throws IOException {
		String source = dictionary();
		for (String language : new String[] { "nl", "en" }) {
			Set<String> keys = keys(source, language);
			for (Discipline discipline : Discipline.values()) {
				assertThat(keys).contains("discipline." + discipline.name());
			}
			assertThat(keys).contains("role." + CurrentUser.PROGRAMME, "role." + CurrentUser.ADMIN);
		}
	}

	@Test
	void dutchAndEnglishHaveTheSameKeys() throws IOException {
		String source = dictionary();
		assertThat(keys(source, "en")).isEqualTo(keys(source, "nl"));
	}

	private static String dictionary() throws IOException {
		return new ClassPathResource("static/common/i18n.js").getContentAsString(StandardCharsets.UTF_8);
	}

	/** The keys of one language's block: from "nl: {" to the next "},". */
	private static Set<String> keys(String source, String language) {
		int start = source.indexOf("\n    " + language + ": {");
		assertThat(start).as("a block for " + language).isPositive();
		int end = source.indexOf("\n    }", start);
		Matcher matcher = KEY.matcher(source.substring(start, end));
		Set<String> keys = new TreeSet<>();
		while (matcher.find()) {
			keys.add(matcher.group(1));
		}
		return keys;
	}

}
