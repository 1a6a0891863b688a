package io.scrapeflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesSelectorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"app=web", "app==web", "app!=web", "app", "!app", "app in (web, api)", "tier notin (db)",
            "app.kubernetes.io/name=nginx-exporter,env=prod", "app=", "x in (a,b),y!=c", "replicas>2"})
    void acceptsValidLabelSelectors(String s) {
        assertThat(KubernetesSelectors.labelSelectorProblem(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"app=web,", "app=we b", "-app=web", "app in (we$b)", "Example.com/app=x", "a>b", ",", "app=web!"})
    void rejectsInvalidLabelSelectors(String s) {
        assertThat(KubernetesSelectors.labelSelectorProblem(s)).isNotNull().contains(s);
    }

    @Test
    void setValuesWithoutParenthesesSaySo() {
        assertThat(KubernetesSelectors.labelSelectorProblem("env=prod,app in a"))
                .isEqualTo("values of \"app in a\" must be in parentheses in label selector \"env=prod,app in a\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.name=x", "spec.nodeName==worker1,status.phase!=Failed"})
    void acceptsValidFieldSelectors(String s) {
        assertThat(KubernetesSelectors.fieldSelectorProblem(s)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.name", "=x", "a=b,"})
    void rejectsInvalidFieldSelectors(String s) {
        assertThat(KubernetesSelectors.fieldSelectorProblem(s)).isNotNull();
    }
}
