package be.recordbroker.soap;

import java.util.Locale;

import javax.xml.stream.XMLStreamException;

import jakarta.servlet.http.HttpServletRequest;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.SAXParseException;

import be.recordbroker.web.RequestIds;

/**
 * On the SOAP face's out-fault chain: a fault's reason reaches the caller only when the broker meant it. A fault
 * that the routes raise on purpose (a client {@link SoapFault} made with a reason and no cause: "operation X is not
 * offered", "needs a request body") passes unchanged. A fault that wraps an unexpected exception (a database error, a driver
 * message, a bug) would carry that exception's text — SQL, table names, values — so its reason becomes a generic
 * text with a trace id, logged beside the exception's class. A request that does not validate against the served
 * schemas, or is not well-formed XML, gets a client fault naming the broken rule and its position, never the values
 * (the parser's text quotes them).
 */
public class SoapFaultSanitizer extends AbstractPhaseInterceptor<Message> {

    public static final String INTERNAL = "record-broker could not answer this request (internal error); trace id ";
    public static final String INVALID = "the request does not validate against the schemas served at ?wsdl: ";
    public static final String MALFORMED = "the request is not well-formed XML: ";

    private static final Logger LOG = LoggerFactory.getLogger(SoapFaultSanitizer.class);

    public SoapFaultSanitizer() {
        super(Phase.PRE_LOGICAL); // long before the fault is written (Soap11FaultOutInterceptor, MARSHAL)
    }

    @Override
    public void handleMessage(Message message) {
        Exception content = message.getContent(Exception.class);
        if (!(content instanceof Fault fault)) {
            return;
        }
        String traceId = traceId(message);
        Fault replacement = sanitize(fault, message.getExchange().getOutMessage() != null
                && message.getExchange().getOutMessage() != message, traceId);
        withTraceId(replacement, traceId);
        if (replacement != fault) {
            message.setContent(Exception.class, replacement);
            if (message.getExchange() != null) {
                message.getExchange().put(Exception.class, replacement);
            }
        }
    }

    /**
     * The fault the caller gets for {@code fault}.
     *
     * @param answering true when the fault arose while the answer was written (then a schema error is the broker's)
     */
    static Fault sanitize(Fault fault, boolean answering, String traceId) {
        Throwable cause = fault.getCause();
        if (fault instanceof OverloadedFault) {
            return fault; // admission control's refusal: the broker's own text, a Server fault on purpose
        }
        if (cause == null && fault instanceof SoapFault && isClientFault(fault)) {
            // raised on purpose, with a reason written for the caller (the routes' faults are all client faults; a
            // server fault without a cause may be a hub's own, passed on: its text is not ours to show)
            return fault;
        }
        String tooLarge = tooLarge(fault);
        if (tooLarge != null) {
            return new SoapFault(tooLarge, SoapFault.FAULT_CODE_CLIENT); // SoapRequestSizeFilter's own, coded text
        }
        SAXParseException schema = find(fault, SAXParseException.class);
        if (schema != null && !answering) {
            return new SoapFault(INVALID + rule(schema) + position(schema.getLineNumber(), schema.getColumnNumber()),
                    SoapFault.FAULT_CODE_CLIENT);
        }
        XMLStreamException malformed = find(fault, XMLStreamException.class);
        if (malformed != null && !answering) {
            return new SoapFault(MALFORMED + (malformed.getLocation() == null ? "unreadable"
                    : position(malformed.getLocation().getLineNumber(), malformed.getLocation().getColumnNumber())
                    .substring(1)), SoapFault.FAULT_CODE_CLIENT);
        }
        if (cause == null && isClientFault(fault)) {
            // CXF's own refusals of a request (unknown operation or part): its text names elements, not values
            return fault;
        }
        Throwable origin = cause == null ? fault : cause;
        LOG.warn("SOAP fault {} hides an unexpected {}", traceId, origin.getClass().getName());
        LOG.debug("SOAP fault {}", traceId, origin);
        return new SoapFault(INTERNAL + traceId, SoapFault.FAULT_CODE_SERVER);
    }

    private static String tooLarge(Throwable t) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().startsWith("REQUEST_TOO_LARGE")) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static boolean isClientFault(Fault fault) {
        return fault.getFaultCode() != null
                && fault.getFaultCode().getLocalPart().toLowerCase(Locale.ROOT).matches("client|sender");
    }

    /** The schema rule of a validation message ({@code cvc-complex-type.2.4.a: ...}), without its quoted values. */
    static String rule(SAXParseException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int colon = text.indexOf(':');
        String key = colon > 0 ? text.substring(0, colon) : "";
        return key.matches("[A-Za-z0-9.-]{1,60}") ? key : "schema error";
    }

    private static String position(int line, int column) {
        return " (line " + line + ", column " + column + ")";
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t instanceof jakarta.xml.bind.JAXBException jaxb && type.isInstance(jaxb.getLinkedException())) {
                return type.cast(jaxb.getLinkedException());
            }
        }
        return null;
    }

    /** The detail element every fault of the face carries: {@code <rb:traceId>} (issue 16), as problem+json does. */
    static final String TRACE_NS = "urn:record-broker";

    static void withTraceId(Fault fault, String traceId) {
        org.w3c.dom.Element detail = fault.getOrCreateDetail();
        for (org.w3c.dom.Node n = detail.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (TRACE_NS.equals(n.getNamespaceURI()) && "traceId".equals(n.getLocalName())) {
                return;
            }
        }
        org.w3c.dom.Element id = detail.getOwnerDocument().createElementNS(TRACE_NS, "rb:traceId");
        id.setTextContent(traceId);
        detail.appendChild(id);
    }

    /** The request's trace id (the one in its log lines), else its X-Request-Id or a new id. */
    private static String traceId(Message message) {
        String traceId = be.recordbroker.web.TraceIds.current();
        if (traceId != null) {
            return traceId;
        }
        Object request = message.getExchange() == null || message.getExchange().getInMessage() == null ? null
                : message.getExchange().getInMessage().get(AbstractHTTPDestination.HTTP_REQUEST);
        String given = request instanceof HttpServletRequest http ? http.getHeader("X-Request-Id") : null;
        return RequestIds.of(given);
    }
}
