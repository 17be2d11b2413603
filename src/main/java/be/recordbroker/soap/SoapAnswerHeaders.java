package be.recordbroker.soap;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.cxf.transport.header.CxfHeaderFilterStrategy;
import org.apache.cxf.headers.Header;
import org.apache.cxf.message.Message;

/**
 * Which of the SOAP face's message headers its HTTP answer carries: none of the request's. camel-cxf puts every HTTP
 * request header in the exchange's headers and its own strategy wrote them back on the answer: the caller's
 * {@code Authorization} (Basic credentials in the sandbox), its break-the-glass justification and any other header
 * came back as headers of the answer, for any proxy or log on the way to see. What passes, to camel-cxf's own rules:
 * the SOAP headers (CXF's header list, relayed as camel-cxf relays them), the status and {@code Content-Type}, which
 * CXF sets itself on this face. Inbound, camel-cxf's filter as before. (camel-cxf still copies {@code User-Agent}
 * back by a rule of its own, outside any strategy: the caller's own software name.)
 */
public final class SoapAnswerHeaders extends CxfHeaderFilterStrategy {

    private static final Set<String> PASSED = Set.of(Header.HEADER_LIST.toLowerCase(Locale.ROOT),
            Exchange.HTTP_RESPONSE_CODE.toLowerCase(Locale.ROOT), Message.RESPONSE_CODE.toLowerCase(Locale.ROOT),
            "content-type");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !PASSED.contains(headerName.toLowerCase(Locale.ROOT))
                || super.applyFilterToCamelHeaders(headerName, headerValue, exchange);
    }
}
