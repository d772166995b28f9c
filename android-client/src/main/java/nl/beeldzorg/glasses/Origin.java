package nl.beeldzorg.glasses;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A web origin (scheme, host, port) as the browser compares them. The app trusts exactly
 * one: the configured backend's. Only https, or http to this device itself.
 */
public final class Origin {

	private final String scheme;

	private final String host;

	private final int port;

	private Origin(String scheme, String host, int port) {
		this.scheme = scheme;
		this.host = host;
		this.port = port;
	}

	/**
	 * The origin of a URL.
	 * @param url an absolute URL
	 * @return its origin
	 * @throws IllegalArgumentException when the URL is not absolute, has no host, or is
	 * neither https nor http to the device itself
	 */
	public static Origin of(String url) {
		Origin origin = parse(url);
		if (origin == null) {
			throw new IllegalArgumentException("not an https address: " + url);
		}
		return origin;
	}

	private static Origin parse(String url) {
		if (url == null) {
			return null;
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			return null;
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : null;
		if (scheme == null || host == null || uri.getRawUserInfo() != null) {
			return null;
		}
		boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
		if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
			return null;
		}
		int port = uri.getPort();
		if (port == -1) {
			port = scheme.equals("https") ? 443 : 80;
		}
		return new Origin(scheme, host, port);
	}

	/**
	 * Whether a URL is of this origin.
	 * @param url any string, null included
	 * @return true only when it parses to this very origin
	 */
	public boolean matches(String url) {
		return equals(parse(url));
	}

	/**
	 * An address on this origin.
	 * @param path an absolute path, such as {@code /glasses/}
	 * @return the URL
	 */
	public String resolve(String path) {
		return toString() + path;
	}

	@Override
	public boolean equals(Object other) {
		if (!(other instanceof Origin)) {
			return false;
		}
		Origin that = (Origin) other;
		return this.scheme.equals(that.scheme) && this.host.equals(that.host) && this.port == that.port;
	}

	@Override
	public int hashCode() {
		return (this.scheme.hashCode() * 31 + this.host.hashCode()) * 31 + this.port;
	}

	@Override
	public String toString() {
		boolean defaultPort = (this.scheme.equals("https") && this.port == 443)
				|| (this.scheme.equals("http") && this.port == 80);
		return this.scheme + "://" + this.host + (defaultPort ? "" : ":" + this.port);
	}

}
