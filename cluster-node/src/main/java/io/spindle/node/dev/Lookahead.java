package io.spindle.node.dev;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator over what {@link #advance} finds, looked for when asked; a null from it ends the iteration. */
abstract class Lookahead<T> implements Iterator<T> {
    private T next;
    private boolean looked;

    /** The next element, or null when there is none. */
    protected abstract T advance();

    @Override
    public boolean hasNext() {
        if (!looked) {
            next = advance();
            looked = true;
        }
        return next != null;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        looked = false;
        return next;
    }
}
