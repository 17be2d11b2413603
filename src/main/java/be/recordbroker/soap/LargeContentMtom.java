package be.recordbroker.soap;

import java.util.List;

import org.apache.cxf.interceptor.AttachmentOutInterceptor;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;

import be.fgov.ehealth.hubservices.core.v3.GetTransactionResponseType;
import be.recordbroker.kmehr.KmehrMessages;

/**
 * Switches MTOM on for one answer of the SOAP face: a GetTransaction whose wrapped document is larger than the
 * threshold, whose bytes then travel as a binary attachment instead of base64 text a third larger. Every other answer
 * (audit trail, transaction lists, small documents) stays a plain SOAP message, so clients without MTOM support keep
 * working for them. Runs before CXF decides on the attachment packaging.
 */
public class LargeContentMtom extends AbstractPhaseInterceptor<Message> {

    private final long threshold;

    public LargeContentMtom(long threshold) {
        super(Phase.PRE_STREAM);
        addBefore(AttachmentOutInterceptor.class.getName());
        this.threshold = threshold;
    }

    @Override
    public void handleMessage(Message message) {
        List<?> contents = message.getContent(List.class);
        if (contents == null) {
            return;
        }
        for (Object part : contents) {
            if (part instanceof GetTransactionResponseType answer && answer.getKmehrmessage() != null
                    && KmehrMessages.firstMultimedia(answer.getKmehrmessage())
                    .map(lnk -> lnk.getValue() != null && lnk.getValue().length > threshold).orElse(false)) {
                message.put(Message.MTOM_ENABLED, Boolean.TRUE);
                message.put(Message.MTOM_THRESHOLD, (int) Math.min(Integer.MAX_VALUE, threshold));
            }
        }
    }
}
