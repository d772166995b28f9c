package nl.beeldzorg.edge;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Cuts off a connection whose request line and headers do not arrive in time (a
 * slowloris: headers dribbled a byte at a time, which an idle timeout never notices
 * because every byte resets it). The deadline runs from connecting, and again from the
 * end of each response on a kept-alive connection; it stops when a whole request head has
 * been decoded. Expired with part of a request received: {@code 408} and close; expired
 * on an idle kept-alive connection: close without a word (a browser reconnects). Request
 * bodies are the Netty server's own read and request timeouts' business; a WebSocket
 * upgrade ends the deadline for good.
 */
final class RequestHeaderDeadline extends ChannelDuplexHandler {

	static final String NAME = "beeldzorg.requestHeaderDeadline";

	static final String WATCHER_NAME = "beeldzorg.requestBytesWatcher";

	private final long timeoutNanos;

	private @Nullable ScheduledFuture<?> deadline;

	/** Request heads read whose response has not ended yet. */
	private int openRequests;

	/** Whether the response being written is a 1xx (100 Continue), not the real one. */
	private boolean informational;

	private boolean upgraded;

	/** Whether any byte arrived since the deadline was armed. */
	private boolean bytesSeen;

	private RequestHeaderDeadline(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	/**
	 * Adds the deadline behind the HTTP codec of a new server connection, and a watcher
	 * of raw bytes in front of it.
	 * @param channel the connection
	 * @param timeout how long a request head may take
	 */
	static void install(Channel channel, Duration timeout) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(NAME) != null) {
			return;
		}
		RequestHeaderDeadline deadline = new RequestHeaderDeadline(timeout);
		pipeline.addAfter(NettyPipeline.HttpCodec, NAME, deadline);
		pipeline.addBefore(NettyPipeline.HttpCodec, WATCHER_NAME, new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
					deadline.bytesSeen = true;
				}
				ctx.fireChannelRead(msg);
			}
		});
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			arm(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		arm(ctx);
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		disarm();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		disarm();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest) {
			this.openRequests++;
			disarm();
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpResponse response) {
			HttpResponseStatus status = response.status();
			this.informational = status.codeClass() == HttpStatusClass.INFORMATIONAL;
			if (status.code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
				this.upgraded = true;
				disarm();
			}
		}
		if (msg instanceof LastHttpContent && !this.informational && !this.upgraded) {
			ChannelPromise written = promise.unvoid();
			written.addListener((future) -> {
				this.openRequests = Math.max(0, this.openRequests - 1);
				if (this.openRequests == 0 && ctx.channel().isActive()) {
					arm(ctx);
				}
			});
			super.write(ctx, msg, written);
			return;
		}
		super.write(ctx, msg, promise);
	}

	private void arm(ChannelHandlerContext ctx) {
		disarm();
		if (this.upgraded) {
			return;
		}
		this.bytesSeen = false;
		this.deadline = ctx.executor().schedule(() -> expired(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
	}

	private void disarm() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

	private void expired(ChannelHandlerContext ctx) {
		this.deadline = null;
		if (!ctx.channel().isActive() || this.openRequests > 0 || this.upgraded) {
			return;
		}
		if (!this.bytesSeen) {
			ctx.close();
			return;
		}
		DefaultFullHttpResponse timeout = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
				HttpResponseStatus.REQUEST_TIMEOUT);
		timeout.headers()
			.set(HttpHeaderNames.CONTENT_LENGTH, 0)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		this.upgraded = true;
		ctx.writeAndFlush(timeout).addListener(ChannelFutureListener.CLOSE);
	}

}
