package be.recordbroker.soap;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The SOAP face's request size cap ({@code record-broker.soap.max-request-size}). A request that announces a larger
 * Content-Length is refused at once with HTTP 413 and a SOAP fault, unread; a chunked request is counted as CXF reads
 * it and fails (CXF answers with a SOAP fault) as soon as it passes the cap, so no request costs more than the cap.
 */
public class SoapRequestSizeFilter extends OncePerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(SoapRequestSizeFilter.class);

    private final long maxBytes;

    public SoapRequestSizeFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            LOG.warn("SOAP request refused: {} bytes announced, cap {} ({})", request.getContentLengthLong(), maxBytes,
                    request.getRequestURI());
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("text/xml;charset=UTF-8");
            response.setHeader("Connection", "close");
            response.getWriter().write("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
                    + "<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>REQUEST_TOO_LARGE: a SOAP"
                    + " request may carry at most " + maxBytes + " bytes</faultstring></soap:Fault></soap:Body>"
                    + "</soap:Envelope>");
            return;
        }
        chain.doFilter(new Capped(request, maxBytes), response);
    }

    /** The request with an input stream that fails once more than the cap has been read. */
    private static final class Capped extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        Capped(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long count;

        CountingStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws IOException {
            count += n;
            if (count > maxBytes) {
                throw new IOException("REQUEST_TOO_LARGE: the SOAP request passed the cap of " + maxBytes + " bytes");
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
