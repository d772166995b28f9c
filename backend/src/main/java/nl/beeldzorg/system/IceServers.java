package nl.beeldzorg.system;

import java.util.List;

import nl.beeldzorg.signalling.protocol.IceServer;

import org.springframework.stereotype.Component;

/**
 * The STUN (and later TURN) servers handed to clients in {@code join} and {@code joined}.
 */
@Component
public class IceServers {

	private final List<IceServer> servers;

	IceServers(BeeldzorgProperties properties) {
		List<String> stun = (properties.ice() != null && properties.ice().stunUrls() != null)
				? properties.ice().stunUrls().stream().filter((url) -> !url.isBlank()).toList() : List.of();
		this.servers = stun.isEmpty() ? List.of() : List.of(new IceServer(stun, null, null));
	}

	/**
	 * @param userId the user the servers are for
	 * @return the servers, with credentials for this user where needed
	 */
	public List<IceServer> forUser(String userId) {
		return this.servers;
	}

}
