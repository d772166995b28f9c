package nl.beeldzorg.glasses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few HTTP calls the app makes itself (sign-in, refresh); blocking, off the UI
 * thread.
 */
public interface Http {

	Response get(String url) throws IOException;

	Response postForm(String url, Map<String, String> form) throws IOException;

	/** A status and a body. */
	final class Response {

		public final int status;

		public final String body;

		public Response(int status, String body) {
			this.status = status;
			this.body = body;
		}

	}

	/** HttpURLConnection, as Android and the JDK both have it. */
	final class UrlConnection implements Http {

		private static final int TIMEOUT_MILLIS = 15_000;

		@Override
		public Response get(String url) throws IOException {
			HttpURLConnection connection = open(url);
			connection.setRequestProperty("Accept", "application/json");
			return read(connection);
		}

		@Override
		public Response postForm(String url, Map<String, String> form) throws IOException {
			StringBuilder body = new StringBuilder();
			for (Map.Entry<String, String> field : form.entrySet()) {
				if (body.length() > 0) {
					body.append('&');
				}
				body.append(URLEncoder.encode(field.getKey(), "UTF-8"))
					.append('=')
					.append(URLEncoder.encode(field.getValue(), "UTF-8"));
			}
			byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
			HttpURLConnection connection = open(url);
			connection.setRequestMethod("POST");
			connection.setDoOutput(true);
			connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
			connection.setRequestProperty("Accept", "application/json");
			connection.setFixedLengthStreamingMode(bytes.length);
			try (OutputStream out = connection.getOutputStream()) {
				out.write(bytes);
			}
			return read(connection);
		}

		private static HttpURLConnection open(String url) throws IOException {
			HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
			connection.setConnectTimeout(TIMEOUT_MILLIS);
			connection.setReadTimeout(TIMEOUT_MILLIS);
			connection.setUseCaches(false);
			connection.setInstanceFollowRedirects(false);
			return connection;
		}

		private static Response read(HttpURLConnection connection) throws IOException {
			try {
				int status = connection.getResponseCode();
				InputStream in = (status >= 400) ? connection.getErrorStream() : connection.getInputStream();
				return new Response(status, (in != null) ? readAll(in) : "");
			}
			finally {
				connection.disconnect();
			}
		}

		static String readAll(InputStream in) throws IOException {
			try (InputStream input = in) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				byte[] buffer = new byte[8192];
				int read;
				while ((read = input.read(buffer)) != -1) {
					out.write(buffer, 0, read);
				}
				return new String(out.toByteArray(), StandardCharsets.UTF_8);
			}
		}

	}

}
