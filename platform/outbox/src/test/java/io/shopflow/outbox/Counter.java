package io.shopflow.outbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Test state that changes with the outbox and inbox rows. */
@Entity
@Table(name = "counter")
public class Counter {

    @Id
    public String name;

    public int value;

    public Counter() {
    }

    Counter(String name, int value) {
        this.name = name;
        this.value = value;
    }
}
