#version 330 core
// Soft "flattering" shading for stylized characters: wrapped diffuse from
// the scene's directional lights (key, fill, rim), a sky/ground ambient, a
// gentle specular from the key light and a fresnel rim. Far cheaper than
// pyrender's PBR shader on a software rasteriser (few pow() per fragment),
// and it reads the same uniforms pyrender sets.
struct DirectionalLight { vec3 color; float intensity; vec3 direction; };
struct Material {
    vec3 emissive_factor;
    vec4 base_color_factor;
    float metallic_factor;
    float roughness_factor;
};
uniform Material material;
uniform DirectionalLight directional_lights[MAX_DIRECTIONAL_LIGHTS];
uniform int n_directional_lights;
uniform vec3 cam_pos;
uniform vec3 ambient_light;
in vec3 frag_position;
in vec3 frag_normal;
out vec4 frag_color;
void main()
{
    vec3 base = material.base_color_factor.rgb;
    vec3 n = normalize(frag_normal);
    vec3 v = normalize(cam_pos - frag_position);
    float nv = dot(n, v);
    if (nv < 0.0) { n = -n; nv = -nv; }
    float rough = material.roughness_factor;
    float metal = material.metallic_factor;
    vec3 sky = ambient_light;
    vec3 diffuse = mix(ambient_light * vec3(0.55, 0.5, 0.5), sky, 0.5 + 0.5 * n.y);
    for (int i = 0; i < n_directional_lights; i++) {
        vec3 l = -directional_lights[i].direction;
        float wrap = clamp((dot(n, l) + 0.45) / 1.45, 0.0, 1.0);
        diffuse += directional_lights[i].intensity * directional_lights[i].color * wrap * wrap;
    }
    vec3 key = -directional_lights[0].direction;
    float shininess = mix(90.0, 6.0, rough);
    float spec = pow(max(dot(n, normalize(key + v)), 0.0), shininess) * (shininess + 2.0) / 16.0;
    vec3 spec_color = mix(vec3(0.05), base, metal) * (1.0 - 0.7 * rough);
    float f = 1.0 - nv;
    vec3 color = base * diffuse * (1.0 - 0.5 * metal)
                 + spec_color * spec * directional_lights[0].intensity * directional_lights[0].color
                 + f * f * f * 0.18 * sky + material.emissive_factor;
    color = color / (1.0 + 0.25 * color);  // soft shoulder instead of hard clipping
    // gamma 2.2 by a cheap curve: sqrt (gamma 2) nudged towards 2.2
    vec3 c = clamp(color, 0.0, 1.0);
    vec3 g = sqrt(c);
    frag_color = vec4(g * (1.0 - 0.09 * (1.0 - g)), material.base_color_factor.a);
}
