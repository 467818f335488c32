package io.shopflow.payment.adapter.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.shopflow.payment.application.CreditAccounts;
import io.shopflow.payment.application.LimitChange;
import io.shopflow.payment.domain.CreditAccount;
import io.shopflow.web.Caller;
import io.shopflow.web.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.regex.Pattern;

/** Customers' credit accounts: a customer reads their own, operators change them. */
@Path("/accounts")
@RolesAllowed({Caller.CUSTOMER, Caller.OPS})
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private static final String CUSTOMER_ID_RULE = "customerId must be 1..128 characters, none a control character";
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private final CreditAccounts accounts;
    private final SecurityIdentity caller;

    AccountResource(CreditAccounts accounts, SecurityIdentity caller) {
        this.accounts = accounts;
        this.caller = caller;
    }

    /** Body of PUT /accounts/{customerId}. */
    public record LimitUpdate(Long creditLimitCents) {
    }

    /** An account as the API shows it. */
    public record AccountView(String customerId, long creditLimitCents, long availableCents) {
        static AccountView of(CreditAccount a) {
            return new AccountView(a.customerId(), a.creditLimitCents(), a.availableCents());
        }
    }

    @GET
    @Path("/{customerId}")
    @Operation(summary = "A customer's credit limit and available credit (unknown customers have the default); "
            + "customers see only their own")
    public Uni<Response> get(@PathParam("customerId") String customerId) {
        if (!isCustomerId(customerId)) {
            return Uni.createFrom().item(Problems.badRequest(CUSTOMER_ID_RULE));
        }
        if (!Caller.mayActFor(caller, customerId)) {
            return Uni.createFrom().item(Problems.notFound("No account " + customerId));
        }
        return accounts.account(customerId).map(account -> Response.ok(AccountView.of(account)).build());
    }

    @PUT
    @Path("/{customerId}")
    @RolesAllowed(Caller.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a customer's credit limit (what is held stays held)")
    public Uni<Response> put(@PathParam("customerId") String customerId, LimitUpdate update) {
        if (!isCustomerId(customerId)) {
            return Uni.createFrom().item(Problems.badRequest(CUSTOMER_ID_RULE));
        }
        if (update == null || update.creditLimitCents() == null || update.creditLimitCents() < 0) {
            return Uni.createFrom().item(Problems.badRequest("creditLimitCents is required and >= 0"));
        }
        if (update.creditLimitCents() > CreditAccount.MAX_LIMIT_CENTS) {
            return Uni.createFrom().item(Problems.badRequest("creditLimitCents must be at most "
                    + CreditAccount.MAX_LIMIT_CENTS));
        }
        return accounts.changeLimit(customerId, update.creditLimitCents()).map(change -> switch (change) {
            case LimitChange.Changed changed -> Response.ok(AccountView.of(changed.account())).build();
            // A limit below what the account holds conflicts with the authorizations in force.
            case LimitChange.Refused refused -> Problems.conflict(refused.reason());
        });
    }

    /** 1-128 characters and no control character: PostgreSQL refuses a NUL (it was a 500). */
    private static boolean isCustomerId(String customerId) {
        return !customerId.isBlank() && customerId.length() <= 128 && !CONTROL.matcher(customerId).find();
    }
}
