package nl.beeldzorg.security;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.directory.DemoDirectory;
import nl.beeldzorg.directory.DemoDirectory.DemoUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo issuer's endpoints: the seeded users and a token for any of them. Exists only
 * in demo mode.
 */
@RestController
@RequestMapping("/demo")
@ConditionalOnBooleanProperty("beeldzorg.demo.enabled")
class DemoController {

	private final DemoIssuer issuer;

	DemoController(DemoIssuer issuer) {
		this.issuer = issuer;
	}

	@GetMapping("/users")
	List<UserView> users() {
		return DemoDirectory.USERS.stream().map(UserView::of).toList();
	}

	@PostMapping("/token")
	TokenResponse token(@Valid @RequestBody TokenRequest request) {
		DemoUser user = DemoDirectory.user(request.username())
			.orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
					"No demo user '" + request.username() + "'; GET /demo/users lists them"));
		return new TokenResponse(this.issuer.issue(user), "Bearer", DemoIssuer.TOKEN_TTL.toSeconds());
	}

	@GetMapping("/jwks.json")
	Map<String, Object> jwks() {
		return this.issuer.jwks();
	}

	record TokenRequest(@NotBlank @Size(max = 100) String username) {
	}

	record TokenResponse(String accessToken, String tokenType, long expiresIn) {
	}

	record UserView(String userId, String username, String name, @Nullable Discipline discipline,
			@Nullable String institution, @Nullable String practice, List<String> roles) {

		static UserView of(DemoUser user) {
			return new UserView(user.userId(), user.username(), user.name(), user.discipline(), user.institution(),
					user.practice(), user.roles());
		}

	}

}
